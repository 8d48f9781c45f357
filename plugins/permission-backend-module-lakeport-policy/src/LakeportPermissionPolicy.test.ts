import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  lakehouseClassificationConfirmPermission,
  lakehouseQualityRunPermission,
  lakehouseDatasetReadPermission,
  lakehouseLineageWritePermission,
  lakehouseModelPromotionDecidePermission,
  lakehouseModelPromotionStewardPermission,
  lakehouseSyncPermission,
} from '@lakeport/plugin-lakehouse-common';
import {
  taskCreatePermission,
  templateDryRunPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { LakeportPermissionPolicy } from './LakeportPermissionPolicy';

const user = (...ownershipEntityRefs: string[]) =>
  ({
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'x',
    expiresInSeconds: 60,
  } as any);

describe('LakeportPermissionPolicy', () => {
  const policy = new LakeportPermissionPolicy(['group:default/data-platform']);

  it('lets only platform admins run a lakehouse sync', async () => {
    const admin = user('user:default/marcus', 'group:default/data-platform');
    const scientist = user('user:default/ana', 'group:default/data-science');
    expect(
      await policy.handle({ permission: lakehouseSyncPermission }, admin),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(
      await policy.handle({ permission: lakehouseSyncPermission }, scientist),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(
      await policy.handle({ permission: lakehouseSyncPermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets only platform admins post lineage as a user', async () => {
    const admin = user('user:default/marcus', 'group:default/data-platform');
    const scientist = user('user:default/ana', 'group:default/data-science');
    const write = { permission: lakehouseLineageWritePermission };
    expect((await policy.handle(write, admin)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(write, scientist)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('lets only stewards confirm that a derived classification does not apply', async () => {
    const confirm = { permission: lakehouseClassificationConfirmPermission };
    const steward = user('user:default/sofia', 'group:default/data-governance');
    const owner = user('user:default/ben', 'group:default/customers-data');
    const admin = user('user:default/marcus', 'group:default/data-platform');
    expect((await policy.handle(confirm, steward)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(confirm, owner)).result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await policy.handle(confirm, admin)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('lets every signed-in user read datasets', async () => {
    const scientist = user('user:default/ana', 'group:default/data-science');
    expect(
      await policy.handle(
        { permission: lakehouseDatasetReadPermission },
        scientist,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets owners (conditionally) and platform admins run quality checks', async () => {
    const admin = user('user:default/marcus', 'group:default/data-platform');
    const owner = user('user:default/olga', 'group:default/customers-data');
    const run = {
      permission: lakehouseQualityRunPermission,
    } as any;
    expect((await policy.handle(run, admin)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await policy.handle(run, owner)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_DATASET_OWNED_BY',
        params: {
          values: ['user:default/olga', 'group:default/customers-data'],
        },
      },
    });
    expect((await policy.handle(run)).result).toBe(AuthorizeResult.DENY);
  });

  it("lets only a model's owners decide its promotions, and only stewards sign off PII", async () => {
    const owner = user('user:default/dev', 'group:default/risk-data');
    const admin = user('user:default/marcus', 'group:default/data-platform');
    const steward = user('user:default/sofia', 'group:default/data-governance');
    const decide = {
      permission: lakehouseModelPromotionDecidePermission,
    } as any;
    expect(await policy.handle(decide, owner)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'lakehouse-model',
      conditions: {
        rule: 'IS_MODEL_OWNED_BY',
        params: { values: ['user:default/dev', 'group:default/risk-data'] },
      },
    });
    // Admins are owners of nothing here: no blanket approval.
    expect((await policy.handle(decide, admin)).result).toBe(
      AuthorizeResult.CONDITIONAL,
    );
    const signOff = { permission: lakehouseModelPromotionStewardPermission };
    expect((await policy.handle(signOff, steward)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(signOff, owner)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('lets every signed-in user run templates, or only the configured groups', async () => {
    const ana = user('user:default/ana', 'group:default/data-science');
    const marcus = user('user:default/marcus', 'group:default/data-platform');
    for (const permission of [taskCreatePermission, templateDryRunPermission]) {
      expect((await policy.handle({ permission }, ana)).result).toBe(
        AuthorizeResult.ALLOW,
      );
      expect((await policy.handle({ permission })).result).toBe(
        AuthorizeResult.DENY,
      );
      const restricted = new LakeportPermissionPolicy(
        ['group:default/data-platform'],
        ['group:default/data-governance'],
        ['group:default/data-platform'],
      );
      expect((await restricted.handle({ permission }, ana)).result).toBe(
        AuthorizeResult.DENY,
      );
      expect((await restricted.handle({ permission }, marcus)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });
});
