import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { parse as parseYaml } from 'yaml';
import { parseContract } from './odcs';

/**
 * `POST /contracts/validate` `{ file, content }`: an ODCS contract checked
 * by the validator the lakehouse sync uses (scaffolder templates and CI of
 * generated projects call it); `{ valid, table, problems }`.
 */
export function createContractsRouter(deps: {
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.post(
    '/contracts/validate',
    express.json({ limit: '1mb' }),
    async (req, res) => {
      await deps.httpAuth.credentials(req);
      const { file, content } = req.body ?? {};
      if (typeof content !== 'string')
        throw new InputError('content is required: the contract as YAML');
      const name = typeof file === 'string' && file ? file : 'contract.yaml';
      let doc: unknown;
      try {
        doc = parseYaml(content);
      } catch (e) {
        res.json({
          valid: false,
          problems: [
            {
              file: name,
              field: '(document)',
              message: `not YAML: ${(e as Error).message}`,
            },
          ],
        });
        return;
      }
      const { problems, table } = parseContract(name, doc);
      res.json({ valid: problems.length === 0, table, problems });
    },
  );
  return router;
}
