import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  FileLocationReader,
} from '@driftwatch/plugin-drift-node';
import { TerraformCloudSource } from './cloud/TerraformCloudSource';
import { readTerraformConfig } from './config';
import { TerraformPlanSource } from './TerraformPlanSource';
import { TerraformPlanTarget } from './TerraformPlanTarget';

/**
 * Terraform for Driftwatch: the `terraform-plan` source reads the refresh-only plan an entity
 * names in `driftwatch.io/terraform-plan`, the `terraform-cloud` source the current health
 * assessment of each HCP Terraform workspace it names in `driftwatch.io/terraform-workspace`,
 * and the `terraform` target turns the plan's
 * `resource_drift` into findings, leaving out the changes of `drift.terraform.ignore` and the
 * built-in refresh noise.
 *
 * @public
 */
export const driftModuleTerraform = createBackendModule({
  pluginId: 'drift',
  moduleId: 'terraform',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: driftSourcesExtensionPoint,
        targets: driftTargetsExtensionPoint,
        urlReader: coreServices.urlReader,
        config: coreServices.rootConfig,
      },
      async init({ sources, targets, urlReader, config }) {
        const terraform = readTerraformConfig(config);
        sources.addSource(
          new TerraformPlanSource({
            urlReader,
            files: FileLocationReader.fromConfig(config),
            maxAgeMs: terraform.maxAgeMs,
          }),
          new TerraformCloudSource(terraform.cloud),
        );
        targets.addTarget(new TerraformPlanTarget({ ignore: terraform.ignore }));
      },
    });
  },
});
