import { AccessProvisioner } from '@lakeport/plugin-lakehouse-node';

/**
 * The embedded default: the grant row Lakeport keeps is the grant, enforced
 * by Lakeport's own data paths (previews, quality samples unmask exactly the
 * columns an active grant covers). Nothing to do in an engine.
 */
export class EmbeddedProvisioner implements AccessProvisioner {
  readonly id = 'embedded';
  async grant(): Promise<void> {}
  async revoke(): Promise<void> {}
}
