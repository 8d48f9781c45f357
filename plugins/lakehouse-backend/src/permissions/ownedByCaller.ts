import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/** What a user creates (a planned output, a topic) is owned by them or one of their groups. */
export async function assertOwnedByCaller(
  userInfo: UserInfoService,
  credentials: BackstageCredentials,
  owner: string,
): Promise<void> {
  const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
  if (!ownershipEntityRefs.includes(owner))
    throw new NotAllowedError(
      `owner must be you or one of your groups (${ownershipEntityRefs.join(
        ', ',
      )}), not ${owner}`,
    );
}
