import { InputError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import { DataContract, parseContract } from './odcs';

/**
 * An ODCS contract a client sent as YAML (a planned output's, a new
 * topic's): parsed with the sync's own validator; a 400 naming the problem
 * when it is not YAML or not a valid contract.
 */
export function parseSubmittedContract(content: string): DataContract {
  let doc: unknown;
  try {
    doc = parseYaml(content);
  } catch (e) {
    throw new InputError(`contract: not YAML: ${(e as Error).message}`);
  }
  const { contract, problems } = parseContract('contract.yaml', doc);
  if (!contract)
    throw new InputError(
      `contract: ${problems.map(p => `${p.field}: ${p.message}`).join('; ')}`,
    );
  return contract;
}
