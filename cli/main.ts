// tinytwin: the TinyTwin libraries from a terminal — list ports, talk to a board, upload, run, bench.
import { benchCommand } from './commands/bench';
import { checkCommand } from './commands/check';
import { evalCommand } from './commands/eval';
import { exportCommand } from './commands/export';
import { infoCommand } from './commands/info';
import { portsCommand } from './commands/ports';
import { qaCommand } from './commands/qa';
import { runCommand } from './commands/run';
import { uploadCommand } from './commands/upload';
import { describe, exitCodeFor, UsageError } from './errors';
import { createOutput } from './output';
import { profileIds } from '../src/lib/model/fit/board-profiles';

const HELP = `tinytwin — run TinyML models on a board and check it computes what the model should.

Commands:
  tinytwin ports                       serial ports on this machine
  tinytwin info                        the board's handshake: memory, ops, current model
  tinytwin upload <model>              upload a model blob (validated and fit-checked first)
      --slot ram|flash                 where to keep it (flash survives power cycles); --force re-uploads
  tinytwin run sine|mpg                run a demo on the board and compare with the reference
  tinytwin run <model> --inputs X,Y    run a .tflite or .ttm on the board for the given real inputs
      --input-file F.json [--raw]      examples as JSON: [[[input 1 values…], [input 2…]], …]
      --points N                       sine sweep points (default 100); --show N table rows
  tinytwin qa --passage FILE|TEXT --question TEXT
                                       ask the QA model on the board about a passage: its answer
                                       beside the int8 expectation's and the float reference's, the
                                       top spans with scores, the window, board time (a --passage
                                       value naming an existing file is read; else it is the text)
  tinytwin eval qa                     official SQuAD v1.1 EM/F1 of board, int8 and float, their
                                       span agreement, board = int8 byte for byte, time per window;
                                       default: the held-out articles of
                                       ../shared/data/squad/dev-v1.1.json (beside the repository)
      --data FILE.json                 every question of any file in SQuAD v1.1's JSON format
      --limit N                        N questions spread evenly over the data
  tinytwin bench upload|sweep          efficiency against the line (--repeat N, --points N)
  tinytwin check <model>               does a .ttm or .tflite model fit a known board? (no board)
      --board-profile NAME             ${profileIds()}
      --slot ram|flash                 where the blob would be kept (default ram); exit 1 if it does not fit
  tinytwin export <model>              a .ttm or .tflite model as a blob or C header for a build
      --header [--name NAME]           C header in xxd -i form (NAME[], NAME_len) on stdout or -o FILE
      --tflite                         the original .tflite in TFLM's form (alignas(16) const,
                                       with a comment on its use), else the converted blob
      --align16                        align the blob's array to 16 bytes (GCC/Clang attribute)
      -o FILE                          write to FILE (FILE.ttm: the blob; FILE.h: a header)

Device (every command but ports, check and export):
  --board host                         the host board process (default): the firmware core on this machine
      --profile NAME                   ${profileIds()} (memory budgets)
      --line-rate BAUD                 pace the host board as a UART at BAUD (default: unthrottled)
      --flash FILE                     keep the host board's flash slot in FILE
  --port PATH [--baud N]               a real board on a serial port (default 115200 baud)
  --timeout MS                         handshake timeout (default 3000)
  --json                               machine-readable result on stdout; progress stays on stderr

Exit codes: 0 success, 1 failure (the message says what to do), 2 bad usage.`;

export async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	const out = createOutput(rest.includes('--json'));
	if (rest.includes('--help') || rest.includes('-h')) {
		process.stdout.write(HELP + '\n');
		return 0;
	}
	const controller = new AbortController();
	const onSigint = () => controller.abort(new Error('Interrupted (Ctrl-C).'));
	process.once('SIGINT', onSigint);
	try {
		switch (command) {
			case 'ports':
				await portsCommand(rest, out);
				break;
			case 'info':
				await infoCommand(rest, out, controller.signal);
				break;
			case 'upload':
				await uploadCommand(rest, out, controller.signal);
				break;
			case 'run':
				await runCommand(rest, out, controller.signal);
				break;
			case 'qa':
				await qaCommand(rest, out, controller.signal);
				break;
			case 'eval':
				await evalCommand(rest, out, controller.signal);
				break;
			case 'bench':
				await benchCommand(rest, out, controller.signal);
				break;
			case 'check':
				return (await checkCommand(rest, out)) ? 0 : 1;
			case 'export':
				await exportCommand(rest, out);
				break;
			case undefined:
			case 'help':
			case '--help':
			case '-h':
				process.stdout.write(HELP + '\n');
				return command === undefined ? 2 : 0;
			default:
				throw new UsageError(`Unknown command "${command}". Run "tinytwin help" for the list.`);
		}
		return 0;
	} catch (e) {
		out.progressDone();
		process.stderr.write(`tinytwin: ${describe(e)}\n`);
		return exitCodeFor(e);
	} finally {
		process.off('SIGINT', onSigint);
	}
}
