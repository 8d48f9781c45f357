import { ConfigReader } from '@backstage/config';
import express from 'express';
import { AddressInfo } from 'node:net';
import { guardSchedulerControl } from './schedulerControl';

/** A root router with the guard, in front of a stand-in for Backstage's task API. */
async function serve(lakeport: object) {
  const app = express();
  guardSchedulerControl({ app, config: new ConfigReader({ lakeport }) } as any);
  app.post(
    '/api/:plugin/.backstage/scheduler/v1/tasks/:id/:action',
    (req, res) => res.status(200).json({ ran: req.params.id }),
  );
  app.get('/api/:plugin/.backstage/scheduler/v1/tasks', (_req, res) =>
    res.json({ tasks: [] }),
  );
  const server = app.listen(0);
  await new Promise(r => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => server.close() };
}

describe('scheduler task control', () => {
  it('refuses to start or cancel a scheduled task through the task API unless development allows it', async () => {
    const post = (base: string, path: string) =>
      fetch(`${base}/api/lakehouse/.backstage/scheduler/v1/tasks/${path}`, {
        method: 'POST',
      });
    const production = await serve({});
    try {
      const trigger = await post(production.base, 'lakehouse-sync/trigger');
      expect(trigger.status).toBe(403);
      expect((await trigger.json()).error.message).toContain(
        'lakeport.scheduler.allowManualControl',
      );
      expect(
        (await post(production.base, 'lakehouse-access-expiry/cancel')).status,
      ).toBe(403);
      // Reading the task list is left as Backstage has it.
      expect(
        (
          await fetch(
            `${production.base}/api/catalog/.backstage/scheduler/v1/tasks`,
          )
        ).status,
      ).toBe(200);
    } finally {
      production.close();
    }
    const development = await serve({
      scheduler: { allowManualControl: true },
    });
    try {
      expect(
        (await post(development.base, 'lakehouse-sync/trigger')).status,
      ).toBe(200);
    } finally {
      development.close();
    }
  });
});
