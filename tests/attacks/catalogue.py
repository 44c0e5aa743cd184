"""Hostile submissions, one per attack: what each tries, and what the autograder must still guarantee.

Every entry is handed in for the dummy lab of tests/nbgrader_support.py (tasks ``softmax`` and
``accuracy``, hidden tests worth 3 and 2 points) beside two honest students, and the whole class is
graded in one `make autograde` run with tight limits (tests/test_attacks.py). Keys:

- ``name``: what the attack tries;
- ``cells``: {solution cell id: source} replacing the student's answers (``{ROOT}`` is replaced by
  the course's absolute path: the worst case, an attacker who knows where the grader runs);
- ``notebook``: instead of cells, a function that makes the submitted file from a completed one;
- ``max_score``: the most the attacker may score (default 0);
- ``flagged``: True when the autograder must flag the submission for review, False when it must
  not (an honest-looking submission), None when either is acceptable;
- ``status``: "graded" (default) or "failed" (the submission cannot be graded at all).

Properties checked for EVERY attack (tests/test_attacks.py): the honest students keep full points
and are not flagged; no tracked file of the course (or of nnscratch) changes; no hidden-test or
solution line reaches any feedback, even reversed or base64-encoded; every student has a row in
grades.csv; no process started by a submission outlives the grading; feedback HTML carries no
script; the whole run finishes within its time bound.
"""

import json

SOFTMAX = (
    "def softmax(Z):\n    shifted = Z - Z.max(axis=1, keepdims=True)\n"
    "    return np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)\n"
)
ACCURACY = "def accuracy(P, y):\n    return float(np.mean(P.argmax(axis=1) == y))\n"
# What a student who solved nothing hands in.
NOTHING = "def softmax(Z):\n    raise NotImplementedError()\n"
NOTHING_ACC = "def accuracy(P, y):\n    raise NotImplementedError()\n"


def _cheat(prefix):
    """A submission that solves nothing and runs ``prefix`` first."""
    return {"softmax-solution": prefix + "\n" + NOTHING, "accuracy-solution": NOTHING_ACC}


def _another_lab(nb):
    """Hands in a different notebook (a lab of another course) under this lab's name."""
    return {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {
                    "nbgrader": {
                        "grade_id": "other-solution",
                        "solution": True,
                        "grade": False,
                        "locked": False,
                        "schema_version": 3,
                    }
                },
                "source": "x = 1",
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _invalid_json(nb):
    return "{ this is not json"


def _schema_99(nb):
    """Crafted nbgrader metadata (an unknown schema version, fake points) on every cell."""
    for cell in nb["cells"]:
        md = cell.setdefault("metadata", {}).setdefault("nbgrader", {})
        md["schema_version"] = 99
        if md.get("grade"):
            md["points"] = 1000
    nb["metadata"]["nbgrader"] = {"schema_version": 99}
    return nb


def _delete_and_duplicate(nb):
    """Deletes every test cell, duplicates a solution cell, adds a fake graded cell."""
    tests = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    for c in tests:
        nb["cells"].remove(c)
    sol = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    nb["cells"].append(json.loads(json.dumps(sol)))
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {
                "nbgrader": {
                    "grade": True,
                    "grade_id": "bonus",
                    "points": 100,
                    "locked": True,
                    "solution": False,
                    "schema_version": 3,
                }
            },
            "source": "pass",
            "outputs": [],
            "execution_count": None,
        }
    )
    return nb


def _edit_tests(nb):
    """Replaces every test cell's code with `pass`."""
    for c in nb["cells"]:
        if c.get("metadata", {}).get("nbgrader", {}).get("grade"):
            c["source"] = "pass"
    for c in nb["cells"]:
        if c.get("metadata", {}).get("nbgrader", {}).get("solution"):
            c["source"] = NOTHING if "softmax" in c["metadata"]["nbgrader"]["grade_id"] else NOTHING_ACC
    return nb


ATTACKS = [
    # ------------------------------------------------ reading what a student must not see
    {
        "name": "reads solutions/ and the gradebook and prints them",
        "cells": _cheat(
            "import glob, os\n"
            "for p in glob.glob('{ROOT}/**/*', recursive=True) + glob.glob('../../../**/*.ipynb', recursive=True):\n"
            "    try: print(p, open(p).read()[:2000])\n"
            "    except Exception as e: print(p, e)\n"
            "print(os.listdir('/'))"
        ),
        "flagged": False,
    },
    {
        "name": "searches the whole file system for solution notebooks and hidden tests",
        "cells": _cheat(
            "import os\nfound = []\n"
            "for d, _, files in os.walk('/'):\n"
            "    if d.startswith(('/proc', '/sys', '/dev', '/usr')): continue\n"
            "    found += [os.path.join(d, f) for f in files if f.endswith('.ipynb') or f == 'gradebook.db']\n"
            "for f in found: print(f, open(f, errors='ignore').read()[:3000])"
        ),
        "flagged": False,
    },
    {
        "name": "prints the hidden tests from IPython's In history after they ran (post_run_cell hook)",
        "cells": {
            "softmax-solution": "ip = get_ipython()\n"
            "ip.events.register('post_run_cell', lambda result: print('\\n'.join(In)))\n" + SOFTMAX,
            "accuracy-solution": ACCURACY,
        },
        "max_score": 5,
        "flagged": None,
    },
    {
        "name": "encodes the caller's source (the hidden test) in base64 from inside its own function",
        "cells": {
            "softmax-solution": "import base64, inspect\n"
            "def softmax(Z):\n"
            "    for frame in inspect.stack()[1:4]:\n"
            "        print(base64.b64encode(str(frame.frame.f_globals.get('In', '')).encode()).decode())\n"
            "        print(str(frame.frame.f_globals.get('In', ''))[::-1])\n"
            "    shifted = Z - Z.max(axis=1, keepdims=True)\n"
            "    return np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)\n",
            "accuracy-solution": ACCURACY,
        },
        "max_score": 5,
        "flagged": None,
    },
    {
        "name": "updates an earlier display during the hidden tests (display_id) to carry their source",
        "cells": {
            "softmax-solution": "from IPython.display import display, update_display\n"
            "display('placeholder', display_id='leak')\n"
            "get_ipython().events.register('post_run_cell', "
            "lambda r: update_display('\\n'.join(In), display_id='leak'))\n" + SOFTMAX,
            "accuracy-solution": ACCURACY,
        },
        "max_score": 5,
        "flagged": None,
    },
    {
        "name": "opens a network connection to send the hidden tests out",
        "cells": _cheat(
            "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=3)\n"
            "    print('NETWORK OPEN')\nexcept OSError as e:\n    print('no network:', e)"
        ),
        "flagged": False,
    },
    # ------------------------------------------------ full marks with nothing solved
    {
        "name": "returns what the hidden test expects, read from the calling cell's source",
        "cells": {
            "softmax-solution": (
                "import ast, linecache, sys\n"
                "def softmax(Z):\n"
                "    caller = sys._getframe(1)\n"
                "    text = ''.join(linecache.getlines(caller.f_code.co_filename))\n"
                "    for node in ast.walk(ast.parse(text)):\n"
                "        if isinstance(node, ast.Call) and getattr(node.func, 'id', '') == 'assert_close':\n"
                "            expr = ast.Expression(node.args[2])\n"
                "            return eval(compile(expr, '<stolen>', 'eval'), caller.f_globals)\n"
                "    raise NotImplementedError()\n"
            ),
            "accuracy-solution": NOTHING_ACC,
        },
        "flagged": True,
    },
    {
        "name": "redefines the assert helpers in the notebook",
        "cells": _cheat(
            "assert_close = assert_true = lambda *a, **k: None\n"
            "import nnscratch.grading as g\n"
            "for n in dir(g):\n    if n.startswith('assert_'): setattr(g, n, lambda *a, **k: None)"
        ),
        "flagged": True,
    },
    {
        "name": "rebinds the helper names the hidden tests use, without touching nnscratch",
        "cells": _cheat(
            "assert_close = assert_true = lambda *a, **k: None\ndef check_against(*a, **k):\n    return None"
        ),
        "flagged": True,
    },
    {
        "name": "patches nnscratch.grading._fail to do nothing",
        "cells": _cheat("import nnscratch.grading as g\ng._fail = lambda *a, **k: None"),
        "flagged": True,
    },
    {
        "name": "an IPython input transformer turns every cell that calls assert_ into `pass`",
        "cells": _cheat(
            "def neuter(lines):\n    return ['pass\\n'] if any('assert' in l for l in lines) else lines\n"
            "get_ipython().input_transformers_post.append(neuter)"
        ),
        "flagged": True,
    },
    {
        "name": "an AST transformer removes every assert statement and call",
        "cells": _cheat(
            "import ast\nclass Strip(ast.NodeTransformer):\n"
            "    def visit_Assert(self, node): return ast.Pass()\n"
            "    def visit_Expr(self, node):\n"
            "        f = getattr(node.value, 'func', None)\n"
            "        return ast.Pass() if getattr(f, 'id', '').startswith('assert') else node\n"
            "get_ipython().ast_transformers.append(Strip())"
        ),
        "flagged": True,
    },
    {
        "name": "patches np.allclose and np.isclose to always agree",
        "cells": _cheat(
            "np.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
            "import numpy\nnumpy.allclose = np.allclose"
        ),
        "flagged": True,
    },
    {
        "name": "makes LabTestFailure's own traceback display raise, so a failing test shows no error",
        "cells": _cheat(
            "from nnscratch.grading import LabTestFailure\n"
            "def _broken(self):\n    raise RuntimeError('no display')\n"
            "LabTestFailure._render_traceback_ = _broken"
        ),
        "flagged": True,
    },
    {
        "name": "loads numpy.testing (which the grader does not load) and makes assert_allclose pass",
        "cells": _cheat("import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None"),
        "flagged": True,
    },
    {
        "name": "puts a fake numpy.testing in sys.modules before anything loads the real one",
        "cells": _cheat(
            "import sys, types\nfake = types.ModuleType('numpy.testing')\n"
            "fake.assert_allclose = lambda *a, **k: None\nsys.modules['numpy.testing'] = fake"
        ),
        "flagged": True,
    },
    {
        "name": "replaces nnscratch.grading in sys.modules by a module whose asserts pass",
        "cells": _cheat(
            "import sys, types\nfake = types.ModuleType('nnscratch.grading')\n"
            "fake.__getattr__ = lambda name: (lambda *a, **k: None)\n"
            "sys.modules['nnscratch.grading'] = fake\nimport nnscratch\nnnscratch.grading = fake"
        ),
        "flagged": True,
    },
    {
        "name": "swallows every exception with a custom exception handler",
        "cells": _cheat("get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"),
        "flagged": True,
    },
    {
        "name": "cheats only when graded (reads NBGRADER_EXECUTION)",
        "cells": _cheat(
            "import os\n"
            "if os.environ.get('NBGRADER_EXECUTION') == 'autograde':\n"
            "    import nnscratch.grading as g\n    g._fail = lambda *a, **k: None"
        ),
        "flagged": False,
    },
    {
        "name": "cheats, then kills its kernel after the last hidden test so no check runs after it",
        "cells": _cheat(
            "import os, nnscratch.grading as g\ng._fail = lambda *a, **k: None\n"
            "count = [0]\n"
            "def bye(result):\n    count[0] += 1\n    if 'END HIDDEN' in (result.info.raw_cell or ''): os._exit(0)\n"
            "get_ipython().events.register('post_run_cell', bye)"
        ),
        "flagged": None,
    },
    {"name": "edits every test cell into `pass`", "notebook": _edit_tests, "flagged": False},
    {
        "name": "deletes the test cells, duplicates a solution cell, adds a fake 100-point cell",
        "notebook": _delete_and_duplicate,
        "max_score": 5,
        "flagged": False,
    },
    # ------------------------------------------------ the gradebook and other students
    {
        "name": "writes full marks for itself and zero for others into gradebook.db",
        "cells": _cheat(
            "import sqlite3, glob\n"
            "for db in glob.glob('{ROOT}/gradebook.db') + glob.glob('../../../gradebook.db'):\n"
            "    con = sqlite3.connect(db)\n"
            "    con.execute('update grade set auto_score = 0, manual_score = 0')\n"
            "    con.commit()\n    print('WROTE', db)"
        ),
        "flagged": False,
    },
    {
        "name": "starts a process that outlives the kernel and rewrites the gradebook later",
        "cells": _cheat(
            "import subprocess, sys\n"
            "subprocess.Popen(['/bin/sh', '-c', 'sleep 4; echo nn-attack-marker; "
            "python -c \"import sqlite3; c=sqlite3.connect(\\'{ROOT}/gradebook.db\\'); "
            "c.execute(\\'update grade set manual_score = 99\\'); c.commit()\"'], start_new_session=True)\n"
            "import os\nif os.fork() == 0:\n    os.setsid()\n    import time; time.sleep(6)\n    os._exit(0)"
        ),
        "flagged": False,
    },
    {
        "name": "changes other students' submissions and feedback, and the course's code",
        "cells": _cheat(
            "import glob\n"
            "for p in glob.glob('{ROOT}/submitted/*/*/*.ipynb') + glob.glob('{ROOT}/tools/*.py') + "
            "glob.glob('{ROOT}/nbgrader_config.py') + glob.glob('/work/**/grading.py', recursive=True):\n"
            "    try:\n        open(p, 'a').write('\\nraise SystemExit(1)\\n'); print('CHANGED', p)\n"
            "    except OSError as e: print('refused', p, e)\n"
            "import nnscratch.grading as g\ntry:\n    open(g.__file__, 'a').write('#x')\nexcept OSError as e: print(e)"
        ),
        "flagged": False,
    },
    # ------------------------------------------------ holding the grader, filling disk and memory
    {
        "name": "1,000 cells' worth of sleeping just under the cell timeout",
        "cells": {
            "softmax-solution": "import time\nfor _ in range(1000):\n    time.sleep(0.2)\n" + NOTHING,
            "accuracy-solution": "import time\ntime.sleep(8)\n" + NOTHING_ACC,
        },
        "flagged": None,
    },
    {
        "name": "an infinite loop in every solution cell",
        "cells": {"softmax-solution": "while True:\n    pass", "accuracy-solution": "while True:\n    pass"},
        "flagged": None,
    },
    {
        "name": "prints 200 MB on one line",
        "cells": _cheat("import sys\nsys.stdout.write('x' * 200_000_000)"),
        "flagged": False,
    },
    {
        "name": "allocates 3 GB of memory",
        "cells": _cheat("block = bytearray(3 * 1024**3)\nblock[::4096] = b'x' * len(block[::4096])"),
        "flagged": False,
    },
    {
        "name": "fills the disk",
        "cells": _cheat(
            "with open('big.bin', 'wb') as f:\n    for _ in range(2000): f.write(b'x' * 1_000_000)"
        ),
        "flagged": False,
    },
    {
        "name": "a fork bomb",
        "cells": _cheat(
            "import os\nfor _ in range(200):\n    try:\n        if os.fork() == 0:\n"
            "            import time; time.sleep(30); os._exit(0)\n"
            "    except OSError:\n        break"
        ),
        "flagged": None,
    },
    {
        "name": "kills its own kernel",
        "cells": _cheat("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        "flagged": None,
    },
    # ------------------------------------------------ the file itself
    {"name": "invalid JSON", "notebook": _invalid_json, "status": "failed"},
    {
        "name": "another lab's notebook handed in under this lab's name",
        "notebook": _another_lab,
        "flagged": False,
    },
    {
        "name": "crafted metadata: schema_version 99 and 1,000 points per test",
        "notebook": _schema_99,
        "max_score": 5,
        "flagged": False,
    },
    # ------------------------------------------------ the feedback page
    {
        "name": "puts <script> and onerror= into its outputs and a markdown cell",
        "cells": _cheat(
            "from IPython.display import HTML, display\n"
            "display(HTML('<script>alert(1)</script><img src=x onerror=\"alert(2)\">'))\n"
            "print('<script>alert(3)</script>')"
        ),
        "flagged": False,
        "markdown": "<script>alert(4)</script><img src=x onerror=alert(5)>",
    },
]
