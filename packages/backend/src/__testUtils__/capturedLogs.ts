import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';

export interface LogLine {
  plugin: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

/** Every plugin's logger, writing into `lines` instead of the console. */
export function capturedLogsServiceFactory(lines: LogLine[]) {
  const loggerFor = (plugin: string): LoggerService => {
    const log = (level: LogLine['level']) => (message: string) => {
      lines.push({ plugin, level, message });
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: () => loggerFor(plugin),
    };
  };
  return createServiceFactory({
    service: coreServices.logger,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => loggerFor(plugin.getId()),
  });
}
