import { classifyChange } from './classify';
import {
  DEFAULT_SEVERITIES,
  DEFAULT_WEIGHTS,
  scoreOf,
  worstSeverity,
} from './severity';

const pod = ['spec', 'template', 'spec'];
const container = [...pod, 'containers', '[]'];

describe('classifyChange', () => {
  it.each([
    ['Deployment', ['spec', 'replicas'], 'Scaling'],
    ['HorizontalPodAutoscaler', ['spec', 'maxReplicas'], 'Scaling'],
    [
      'HorizontalPodAutoscaler',
      ['spec', 'behavior', 'scaleDown', 'stabilizationWindowSeconds'],
      'Scaling',
    ],
    ['Deployment', [...container, 'image'], 'VersionChange'],
    [
      'CronJob',
      [
        'spec',
        'jobTemplate',
        'spec',
        'template',
        'spec',
        'initContainers',
        '[]',
        'image',
      ],
      'VersionChange',
    ],
    [
      'Deployment',
      [...container, 'resources', 'limits', 'memory'],
      'ResourceChange',
    ],
    ['ResourceQuota', ['spec', 'hard', 'requests.cpu'], 'ResourceChange'],
    ['Deployment', [...container, 'env', '[]'], 'ConfigurationChange'],
    ['Deployment', [...container, 'args'], 'ConfigurationChange'],
    ['ConfigMap', ['data', 'rules.yaml'], 'ConfigurationChange'],
    [
      'Deployment',
      [...container, 'livenessProbe', 'httpGet', 'port'],
      'ConfigurationChange',
    ],
    ['Deployment', ['metadata', 'labels', 'team'], 'LabelChange'],
    [
      'Deployment',
      [...pod.slice(0, 2), 'metadata', 'labels', 'team'],
      'LabelChange',
    ],
    [
      'Service',
      ['metadata', 'annotations', 'prometheus.io/port'],
      'AnnotationChange',
    ],
    [
      'Deployment',
      [...container, 'ports', '[]', 'containerPort'],
      'PortChange',
    ],
    ['Service', ['spec', 'ports', '[]', 'targetPort'], 'PortChange'],
    ['Service', ['spec', 'type'], 'PortChange'],
    [
      'Ingress',
      [
        'spec',
        'rules',
        '[]',
        'http',
        'paths',
        '[]',
        'backend',
        'service',
        'port',
        'number',
      ],
      'PortChange',
    ],
    [
      'Deployment',
      [...pod, 'volumes', '[]', 'emptyDir', 'sizeLimit'],
      'VolumeChange',
    ],
    [
      'Deployment',
      [...container, 'volumeMounts', '[]', 'mountPath'],
      'VolumeChange',
    ],
    [
      'StatefulSet',
      [
        'spec',
        'volumeClaimTemplates',
        '[]',
        'spec',
        'resources',
        'requests',
        'storage',
      ],
      'VolumeChange',
    ],
    ['PersistentVolumeClaim', ['spec', 'storageClassName'], 'VolumeChange'],
    ['Secret', ['data', 'password'], 'SecretChange'],
    [
      'Deployment',
      [...container, 'env', '[]', 'valueFrom', 'secretKeyRef', 'name'],
      'SecretChange',
    ],
    [
      'Deployment',
      [...pod, 'volumes', '[]', 'secret', 'secretName'],
      'SecretChange',
    ],
    ['Ingress', ['spec', 'tls', '[]', 'secretName'], 'SecretChange'],
    ['Deployment', [...pod, 'imagePullSecrets', '[]'], 'SecretChange'],
    [
      'Deployment',
      [...container, 'envFrom', '[]', 'configMapRef', 'name'],
      'ConfigMapChange',
    ],
    [
      'Deployment',
      [...container, 'env', '[]', 'valueFrom', 'configMapKeyRef', 'key'],
      'ConfigMapChange',
    ],
    [
      'Deployment',
      [...pod, 'volumes', '[]', 'configMap', 'name'],
      'ConfigMapChange',
    ],
    [
      'Deployment',
      [...container, 'securityContext', 'capabilities', 'add'],
      'SecurityChange',
    ],
    [
      'Deployment',
      [...container, 'securityContext', 'privileged'],
      'SecurityChange',
    ],
    ['Deployment', [...pod, 'hostNetwork'], 'SecurityChange'],
    ['Deployment', [...pod, 'serviceAccountName'], 'SecurityChange'],
    ['Role', ['rules', '[]'], 'SecurityChange'],
    ['ClusterRoleBinding', ['subjects', '[]'], 'SecurityChange'],
    ['NetworkPolicy', ['spec', 'ingress', '[]'], 'SecurityChange'],
  ])('%s %j is %s', (kind, fields, category) => {
    expect(classifyChange(kind, fields)).toBe(category);
  });

  it('looks inside a whole added item for Secret and ConfigMap references', () => {
    expect(
      classifyChange('Deployment', [...container, 'env', '[]'], undefined, {
        name: 'TOKEN',
        valueFrom: { secretKeyRef: { name: 'api', key: 'token' } },
      }),
    ).toBe('SecretChange');
    expect(
      classifyChange(
        'Deployment',
        [...container, 'envFrom'],
        [{ configMapRef: { name: 'a' } }],
        [{ configMapRef: { name: 'a' } }, { secretRef: { name: 'b' } }],
      ),
    ).toBe('SecretChange');
  });
});

describe('severities and scores', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_SEVERITIES).toEqual({
      Scaling: 'medium',
      VersionChange: 'high',
      ResourceChange: 'medium',
      ConfigurationChange: 'medium',
      LabelChange: 'low',
      AnnotationChange: 'low',
      PortChange: 'medium',
      VolumeChange: 'medium',
      SecretChange: 'high',
      ConfigMapChange: 'medium',
      SecurityChange: 'critical',
      missing: 'high',
      extra: 'medium',
    });
  });

  it('sums weights, with overrides', () => {
    const changes = [
      { category: 'LabelChange' as const },
      { category: 'SecurityChange' as const },
    ];
    expect(scoreOf(changes)).toBe(
      DEFAULT_WEIGHTS.LabelChange + DEFAULT_WEIGHTS.SecurityChange,
    );
    expect(scoreOf(changes, { LabelChange: 10 })).toBe(
      10 + DEFAULT_WEIGHTS.SecurityChange,
    );
  });

  it('takes the worst severity', () => {
    expect(worstSeverity('low', 'critical')).toBe('critical');
    expect(worstSeverity(null, 'medium')).toBe('medium');
  });
});

describe('containers added live', () => {
  it('classifies a privileged sidecar as a security change', () => {
    const sidecar = {
      name: 'debug',
      image: 'busybox:1.36',
      securityContext: { privileged: true },
    };
    expect(
      classifyChange('Deployment', ['spec', 'template', 'spec', 'containers', '[]'], undefined, sidecar),
    ).toBe('SecurityChange');
    expect(
      classifyChange('Deployment', ['spec', 'template', 'spec', 'containers', '[]'], undefined, {
        name: 'proxy',
        image: 'envoy:1.30',
      }),
    ).toBe('ConfigurationChange');
  });
});
