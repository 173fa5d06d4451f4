"""Run a command and write its own resource usage: ``python -S -E rusage_wrapper.py OUT CMD...``.

A forked child inherits the high-water mark of the process it was forked from, so the
``ru_maxrss`` of a child of the (large) benchmark process would never read below that
process's size. This wrapper is a bare interpreter (no ``site``), so the floor of the
command's ``ru_maxrss`` is this wrapper's few megabytes instead.
"""

import json
import os
import sys


def main() -> int:
    out, cmd = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as fh:
        json.dump({"maxrss_kb": usage.ru_maxrss, "utime": usage.ru_utime, "stime": usage.ru_stime}, fh)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
