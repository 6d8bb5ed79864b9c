import type { DriftCategory } from '../types';

const SECURITY_TYPE =
  /(^|_)(iam|policy|policies|security_group|firewall|role|acl|kms|key_vault_access_policy|network_security|permission|sso|waf)(_|$)/;
const SECRET_TYPE = /(^|_)(secret|secretsmanager|password|ssm_parameter)(_|$)/;

const LABEL_ATTRIBUTES = new Set([
  'tags',
  'tags_all',
  'labels',
  'user_labels',
  'resource_labels',
  'default_tags',
]);
const SECRET_ATTRIBUTES = new Set([
  'password',
  'master_password',
  'admin_password',
  'secret',
  'secret_string',
  'secret_binary',
  'token',
  'private_key',
  'access_key',
  'secret_key',
  'client_secret',
]);
const SECURITY_ATTRIBUTES = new Set([
  'policy',
  'assume_role_policy',
  'inline_policy',
  'managed_policy_arns',
  'ingress',
  'egress',
  'cidr_blocks',
  'ipv6_cidr_blocks',
  'source_ranges',
  'security_groups',
  'vpc_security_group_ids',
  'security_group_ids',
  'iam_instance_profile',
  'iam_role',
  'role',
  'role_arn',
  'service_account',
  'publicly_accessible',
  'public_access',
  'encrypted',
  'kms_key_id',
  'acl',
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
  'ssl_enforcement_enabled',
  'min_tls_version',
  'http_tokens',
]);
const VERSION_ATTRIBUTES = new Set([
  'version',
  'engine_version',
  'kubernetes_version',
  'cluster_version',
  'min_master_version',
  'node_version',
  'platform_version',
  'release_label',
  'runtime',
  'ami',
  'image',
  'image_id',
  'image_tag',
  'image_uri',
]);
const SCALING_ATTRIBUTES = new Set([
  'desired_size',
  'min_size',
  'max_size',
  'desired_capacity',
  'node_count',
  'initial_node_count',
  'min_node_count',
  'max_node_count',
  'min_count',
  'max_count',
  'replicas',
  'instance_count',
  'capacity',
  'scaling_config',
  'autoscaling',
]);
const RESOURCE_ATTRIBUTES = new Set([
  'instance_type',
  'instance_class',
  'machine_type',
  'node_type',
  'vm_size',
  'size',
  'sku',
  'sku_name',
  'tier',
  'allocated_storage',
  'max_allocated_storage',
  'storage_gb',
  'disk_size',
  'disk_size_gb',
  'volume_size',
  'memory',
  'memory_size',
  'cpu',
  'iops',
  'throughput',
  'storage_type',
]);
const PORT_ATTRIBUTES = new Set([
  'port',
  'ports',
  'from_port',
  'to_port',
  'target_port',
  'container_port',
  'listener',
]);
const VOLUME_ATTRIBUTES = new Set([
  'ebs_block_device',
  'root_block_device',
  'ephemeral_block_device',
  'volume',
  'volumes',
  'disk',
  'boot_disk',
  'attached_disk',
  'mount',
  'efs_volume_configuration',
]);
const CONFIGURATION_ATTRIBUTES = new Set([
  'environment',
  'variables',
  'env',
  'settings',
  'parameter',
  'parameters',
]);

function attributeCategory(name: string): DriftCategory | undefined {
  if (SECRET_ATTRIBUTES.has(name)) return 'SecretChange';
  if (SECURITY_ATTRIBUTES.has(name)) return 'SecurityChange';
  if (VERSION_ATTRIBUTES.has(name)) return 'VersionChange';
  if (SCALING_ATTRIBUTES.has(name)) return 'Scaling';
  if (RESOURCE_ATTRIBUTES.has(name)) return 'ResourceChange';
  if (PORT_ATTRIBUTES.has(name)) return 'PortChange';
  if (VOLUME_ATTRIBUTES.has(name)) return 'VolumeChange';
  if (CONFIGURATION_ATTRIBUTES.has(name)) return 'ConfigurationChange';
  return undefined;
}

/**
 * The category of a changed Terraform attribute: tags and labels are LabelChange; IAM,
 * security groups, firewalls and policies SecurityChange; sizes ResourceChange; counts
 * Scaling; versions and images VersionChange; ports PortChange; the deepest recognized
 * attribute name decides.
 */
export function classifyTerraformChange(
  type: string,
  path: string[],
): DriftCategory {
  if (path.length > 0 && LABEL_ATTRIBUTES.has(path[0])) return 'LabelChange';
  if (path.some(name => SECRET_ATTRIBUTES.has(name))) return 'SecretChange';
  if (SECRET_TYPE.test(type)) return 'SecretChange';
  if (SECURITY_TYPE.test(type)) return 'SecurityChange';
  for (let i = path.length - 1; i >= 0; i--) {
    const category = attributeCategory(path[i]);
    if (category) return category;
  }
  return 'ConfigurationChange';
}
