import logging
import os
import sys

from generator.cli import main


def run() -> None:
    """``python -m generator``: the command, then the process ends without tearing down its modules.

    Why (issue 12): after a build at 10,000 notices the interpreter's own shutdown (its modules and
    their 400,000 objects freed one by one, a last collection) took about 0.5 s of every build after
    one new issue, with nothing left to do: every file is written and renamed, every process and
    thread the build started has been waited for (a stage that starts one waits for it). So the output
    is flushed, the logs closed and the process ends with the command's exit code (``os._exit``).
    ``jiahe-publish`` and the tests' ``CliRunner`` call :func:`generator.cli.main` and end as usual."""
    try:
        main(prog_name="python -m generator")
        code = 0
    except SystemExit as exc:  # click ends every command with one (standalone mode)
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # a message, as sys.exit("...") prints it
            print(exc.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            code = code or 1
    os._exit(code)


if __name__ == "__main__":  # not when a spawned worker process imports it (the print edition's, issue 12)
    run()
