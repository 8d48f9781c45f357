import { Browser, expect, Page, test } from '@playwright/test';
import path from 'node:path';
import { revokeGrants, signedIn } from './portalApi';

const repo = path.resolve(__dirname, '../../..');
const shots = path.join(repo, 'test-results/screenshots');
const CUSTOMERS = '/catalog/default/resource/customers-curated-customers';

/** Each person in a browser context of their own, signed in. */

async function approveInReviews(page: Page, comment: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: /Reviews/ })
    .click();
  const row = page
    .getByRole('table', { name: 'Reviews' })
    .getByRole('row')
    .filter({ hasText: 'Customers' })
    .filter({ hasText: 'ana' });
  await expect(row).toContainText('Churn model features');
  await row.getByLabel('Comment').fill(comment);
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(row).toHaveCount(0);
}

test('a data scientist gets PII access through owner and steward, sees it unmasked, and loses it on revoke', async ({
  browser,
}) => {
  // A portal that ran this before: Ana starts without access.
  await revokeGrants(
    'chloe',
    'dataset:lakeport:customers.curated.customers',
    'user:default/ana',
  );
  // Ana asks for the customer table (PII) for 30 days.
  const ana = await signedIn(browser, 'Ana Souza');
  // A portal that ran this before: withdraw what is still under review.
  await ana.goto('/access');
  await expect(
    ana
      .getByText(/No requests yet/)
      .or(ana.getByRole('table', { name: 'My requests' })),
  ).toBeVisible();
  // One at a time: each cancel re-renders the list.
  const cancels = ana.getByRole('button', { name: 'Cancel' });
  for (let open = await cancels.count(); open > 0; open--) {
    await cancels.first().click();
    await expect(cancels).toHaveCount(open - 1);
  }
  await ana.goto(`${CUSTOMERS}/preview`);
  await expect(
    ana.getByText(/sensitive columns? (is|are) masked/),
  ).toBeVisible();
  await ana.goto(`${CUSTOMERS}/access`);
  await ana.getByRole('button', { name: 'Request access' }).click();
  const dialog = ana.getByRole('dialog');
  await expect(dialog.getByText('At most 90 days for pii data')).toBeVisible();
  await dialog.getByLabel('Purpose').fill('Churn model features');
  await dialog
    .getByLabel('Justification')
    .fill('Email domains and age for the churn model (JIRA-7)');
  await dialog.getByLabel('Duration (days)').fill('120');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog.getByText('durationDays is at most 90')).toBeVisible();
  await dialog.getByLabel('Duration (days)').fill('30');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(ana.getByText('Request sent')).toBeVisible();
  await expect(ana.getByRole('table', { name: 'Your requests' })).toContainText(
    'waiting for owner',
  );

  // Chloé (owner group) approves first, from her review queue.
  const chloe = await signedIn(browser, 'Chloé Martin');
  await expect(chloe.getByLabel('1 reviews waiting')).toBeVisible();
  await chloe.screenshot({ path: `${shots}/access-reviews-badge.png` });
  await approveInReviews(chloe, 'OK for the churn project');

  // Sofia (data governance) approves the PII step.
  const sofia = await signedIn(browser, 'Sofia Rossi');
  await approveInReviews(sofia, 'Purpose limited to churn, fine');

  // Ana now sees the preview unmasked.
  await ana.goto(`${CUSTOMERS}/preview`);
  await expect(ana.getByText('No column is masked for you.')).toBeVisible();
  await expect(ana.getByTestId('masked-value')).toHaveCount(0);
  await ana.screenshot({ path: `${shots}/access-unmasked.png` });

  // Chloé sees who has access, and revokes it.
  await chloe.goto(`${CUSTOMERS}/access`);
  const holders = chloe.getByRole('table', { name: 'Who has access' });
  const grant = holders.getByRole('row').filter({ hasText: 'ana' });
  await expect(grant).toContainText('chloe, sofia');
  await chloe.screenshot({
    path: `${shots}/access-tab-owner.png`,
    fullPage: true,
  });
  await grant.getByLabel('Reason').fill('Project finished');
  await grant.getByRole('button', { name: 'Revoke' }).click();
  await expect(holders.getByRole('row').filter({ hasText: 'ana' })).toHaveCount(
    0,
  );

  // Masked again for Ana; her timeline shows every step.
  await ana.goto(`${CUSTOMERS}/preview`);
  await expect(
    ana.getByText(/sensitive columns? (is|are) masked/),
  ).toBeVisible();
  await ana
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'My access' })
    .click();
  const mine = ana
    .getByRole('table', { name: 'My requests' })
    .getByRole('row')
    .filter({ hasText: 'Churn model features' })
    .first();
  await expect(mine).toContainText('revoked');
  await mine.getByRole('button', { name: 'show timeline' }).click();
  const timeline = ana
    .getByRole('list', { name: 'Timeline' })
    .or(ana.locator('[aria-label="Timeline"]'));
  for (const step of [
    'requested by ana',
    'approved by owner by chloe',
    'approved by steward by sofia',
    'provisioning by sofia',
    'granted by provisioner:embedded',
    'revoked by chloe',
  ]) {
    await expect(timeline.first()).toContainText(step);
  }
  await expect(timeline.first()).toContainText('“Project finished”');
  await ana.screenshot({
    path: `${shots}/access-timeline.png`,
    fullPage: true,
  });
});
