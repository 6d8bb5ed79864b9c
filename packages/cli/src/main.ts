import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT_ERROR } from './errors';
import { DEFAULT_MAX_FILE_BYTES } from './io/readInputs';
import { runDiff } from './commands/diff';
import { runGate } from './commands/gate';
import { runTerraform } from './commands/terraform';
import { createStyle } from './output/text';

/** Where the command writes, and whether colors are wanted. */
export interface MainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  /** Where `DRIFTWATCH_TOKEN` is read from; `process.env` by default. */
  env?: Record<string, string | undefined>;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseMegabytes(value: string): number {
  const megabytes = Number(value);
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw new CliError(
      `--max-file-size: "${value}" is not a positive number of MiB`,
    );
  }
  return Math.floor(megabytes * 1024 * 1024);
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(
      `--timeout: "${value}" is not a positive number of seconds`,
    );
  }
  return Math.ceil(seconds * 1000);
}

/** Runs the command with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(args: string[], io: MainIo): Promise<number> {
  let exitCode = 0;
  const style = createStyle(io.color);
  const program = new Command('driftwatch')
    .description(
      'Find configuration drift between Git and live Kubernetes objects or Terraform state, and check the Driftwatch merge gate in CI.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: () => {},
    })
    .showHelpAfterError(false);

  const output = () =>
    new Option('-o, --output <format>', 'report format')
      .choices(['text', 'json'])
      .default('text');
  const maxSize = () =>
    new Option('--max-file-size <MiB>', 'largest input file read').default(
      DEFAULT_MAX_FILE_BYTES / (1024 * 1024),
    );

  program
    .command('diff')
    .description(
      'compare desired manifests (Git) with live objects (kubectl get -o yaml)',
    )
    .requiredOption(
      '-d, --desired <file|dir>',
      'desired manifests: a file or a folder (read recursively)',
      collect,
    )
    .requiredOption(
      '-l, --live <file|dir>',
      'live objects: a file or a folder (read recursively)',
      collect,
    )
    .option(
      '-i, --ignore <file>',
      'ignore rules: ignore: [{paths: [...], kind?, namespace?, name?}, {managers: [...]}]',
      collect,
    )
    .option(
      '--selector <key=value,...>',
      'labels that mark live objects as the application\'s (for "extra")',
    )
    .addOption(output())
    .addOption(maxSize())
    .action(options => {
      const result = runDiff(
        {
          desired: options.desired,
          live: options.live,
          ignore: options.ignore,
          output: options.output,
          selector: options.selector,
          maxFileBytes: parseMegabytes(String(options.maxFileSize)),
        },
        style,
      );
      io.stdout(result.output);
      exitCode = result.exitCode;
    });

  program
    .command('terraform')
    .description('report the resource_drift of a `terraform show -json` plan')
    .argument('<plan.json>', 'output of `terraform show -json <planfile>`')
    .addOption(output())
    .addOption(maxSize())
    .action((file: string, options) => {
      const result = runTerraform(
        file,
        {
          output: options.output,
          maxFileBytes: parseMegabytes(String(options.maxFileSize)),
        },
        style,
      );
      io.stdout(result.output);
      exitCode = result.exitCode;
    });

  program
    .command('gate')
    .description(
      'ask the Driftwatch backend whether a change of an entity may merge (CI merge gate)',
    )
    .requiredOption(
      '-e, --entity <ref>',
      'the entity, e.g. component:default/booking-api',
    )
    .requiredOption(
      '-u, --url <url>',
      'the Backstage backend, e.g. http://localhost:7007',
    )
    .option(
      '-t, --token <token>',
      'a static token of backend.auth.externalAccess (default: $DRIFTWATCH_TOKEN)',
    )
    .option('--json', 'print the gate result as JSON')
    .option('--timeout <seconds>', 'how long to wait for the backend', '30')
    .action(async options => {
      const env = io.env ?? process.env;
      const token = options.token ?? env.DRIFTWATCH_TOKEN;
      if (!token) {
        throw new CliError(
          'gate: no token: pass --token or set DRIFTWATCH_TOKEN',
        );
      }
      const result = await runGate(
        {
          entity: options.entity,
          url: options.url,
          token,
          output: options.json ? 'json' : 'text',
          timeoutMs: parseSeconds(String(options.timeout)),
        },
        style,
      );
      io.stdout(result.output);
      exitCode = result.exitCode;
    });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help exits 0; help shown because no command was given is a usage error.
      if (error.exitCode === 0) return 0;
      if (error.code !== 'commander.help') {
        io.stderr(`driftwatch: ${error.message.replace(/^error: /, '')}\n`);
      }
      return EXIT_ERROR;
    }
    if (error instanceof CliError) {
      io.stderr(`driftwatch: ${error.message}\n`);
      return EXIT_ERROR;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`driftwatch: internal error: ${message}\n`);
    return EXIT_ERROR;
  }
  return exitCode;
}
