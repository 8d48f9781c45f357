import { MetadataWebhookError } from '@lakeport/plugin-lakehouse-node';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a delivery may be (MLflow retries within minutes). */
export const WEBHOOK_MAX_AGE_SECONDS = 300;

const header = (
  headers: Record<string, string | string[] | undefined>,
  name: string,
) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Verifies an MLflow model-registry webhook delivery: `X-MLflow-Signature`
 * is `v1,<base64 HMAC-SHA256>` over `<delivery id>.<timestamp>.<raw body>`
 * with the webhook's secret, computed on the raw bytes as received;
 * `X-MLflow-Timestamp` (Unix seconds) must be recent.
 */
export function verifyMlflowWebhook(
  secret: string,
  request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
    now: Date;
  },
): { deliveryId: string; event: string } {
  const signature = header(request.headers, 'X-MLflow-Signature');
  const timestamp = header(request.headers, 'X-MLflow-Timestamp');
  const deliveryId = header(request.headers, 'X-MLflow-Delivery-Id');
  if (!signature || !timestamp || !deliveryId)
    throw new MetadataWebhookError(
      'Missing X-MLflow-Signature, X-MLflow-Timestamp or X-MLflow-Delivery-Id',
      'unauthenticated',
    );
  const expected = Buffer.from(
    `v1,${createHmac('sha256', secret)
      .update(
        Buffer.concat([
          Buffer.from(`${deliveryId}.${timestamp}.`),
          request.rawBody,
        ]),
      )
      .digest('base64')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new MetadataWebhookError(
      'X-MLflow-Signature does not match the body',
      'unauthenticated',
    );
  const sent = Number(timestamp);
  const age = request.now.getTime() / 1000 - sent;
  if (!Number.isFinite(sent) || age > WEBHOOK_MAX_AGE_SECONDS || age < -60)
    throw new MetadataWebhookError(
      `X-MLflow-Timestamp ${timestamp} is more than ${WEBHOOK_MAX_AGE_SECONDS} s away from now`,
      'invalid',
    );
  let event = 'unknown';
  try {
    const body = JSON.parse(request.rawBody.toString('utf8'));
    event = `${body.entity}.${body.action}`;
  } catch {
    throw new MetadataWebhookError('The body is not JSON', 'invalid');
  }
  return { deliveryId, event };
}
