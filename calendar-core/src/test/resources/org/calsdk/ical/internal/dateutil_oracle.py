"""Oracle for RuleIteratorDifferentialTest: expands RRULEs with python-dateutil's rrulestr.

Reads one JSON object per line from stdin: {"id", "rule", "dtstart", "horizon", "max"} (naive
YYYYMMDDTHHMMSS times) and writes one JSON object per line to stdout: {"id", "dates": [...]} or
{"id", "error": "..."}, or {"id", "timeout": "..."} when dateutil searches for longer than
TIMEOUT_SECONDS of CPU time (it walks to the year 9999 looking for an instance of a rule that has none
soon). CPU time, not wall-clock time: on a loaded CI machine a case that normally takes a fraction of
that must not time out and turn into an "unexplained difference".
One process serves the whole batch.
"""
import json
import signal
import sys
from datetime import datetime

from dateutil.rrule import rrulestr

FMT = "%Y%m%dT%H%M%S"
TIMEOUT_SECONDS = 5


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout("dateutil did not finish within %.1f s of CPU time" % TIMEOUT_SECONDS)


def expand(req):
    dtstart = datetime.strptime(req["dtstart"], FMT)
    horizon = datetime.strptime(req["horizon"], FMT)
    rule = rrulestr(req["rule"], dtstart=dtstart)
    out = []
    for d in rule:
        if d > horizon:
            break
        out.append(d.strftime(FMT))
        if len(out) >= req["max"]:
            break
    return out


def main():
    signal.signal(signal.SIGVTALRM, _alarm)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        signal.setitimer(signal.ITIMER_VIRTUAL, TIMEOUT_SECONDS)
        try:
            res = {"id": req["id"], "dates": expand(req)}
        except Timeout as e:
            res = {"id": req["id"], "timeout": str(e)}
        except Exception as e:  # dateutil rejects some rules (e.g. an unreachable BYHOUR): report, do not stop
            res = {"id": req["id"], "error": type(e).__name__ + ": " + str(e)}
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        sys.stdout.write(json.dumps(res) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
