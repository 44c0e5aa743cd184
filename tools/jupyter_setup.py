"""Set up JupyterLab in this environment for a student or for an instructor.

nbgrader installs five JupyterLab extensions and their server parts. A student needs only one,
the Validate button; the others are the instructor's, and two of them can lose a student's work
(Formgrader's "Generate" replaces a finished lab with the blank one, at once, checkpoints
included; opening it also creates gradebook.db) or only show errors (Assignment List and Course
List want nbgrader's exchange directory).

    python tools/jupyter_setup.py student      only the Validate button (the default)
    python tools/jupyter_setup.py instructor   also the Nbgrader menu (Formgrader, Course List, Assignment
                                               List) and the Create Assignment toolbar
    python tools/jupyter_setup.py              again whatever this environment was set up as last

The extensions are switched off for the whole environment (``--level=sys_prefix``, i.e. inside
``.venv``), so no user setting can bring them back, and reinstalling nbgrader does not either.
Both roles also turn off JupyterLab's news and update pop-ups (a settings file of the
environment, ``share/jupyter/lab/settings/overrides.json``). Run with the environment's Python
(``.venv/bin/python``): that environment is the one changed. The Makefiles run this for you.

    python tools/jupyter_setup.py --match-kernel labs lectures

writes into each notebook under the folders given the ``language_info`` this environment's kernel
reports (its exact Python version, among others) and its ``kernelspec`` (display name), when the
notebook holds others. JupyterLab writes both there as soon as a notebook's kernel starts, which
marks a notebook that held others modified the moment it opens: nothing was changed, yet closing
it asks to save. The student edition's ``make jupyter`` runs this first. Only those two keys of a
notebook's metadata are rewritten, and only in notebooks for the course's kernel (``python3``)
written as JupyterLab and nbformat write them (``indent=1``), so nothing else in the file moves.
"""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

# The Nbgrader menu and its items come from these JupyterLab plugins (ids in nbgrader's
# labextension). With the items' plugins off, the menu would stay as an empty "Nbgrader" heading,
# so it goes too; the Validate button is a separate plugin (@jupyter/nbgrader:validate-assignment).
INSTRUCTOR_LAB_PLUGINS = [
    "@jupyter/nbgrader:menu",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
]
# ... and the server extensions behind them. nbgrader.server_extensions.validate_assignment (the
# Validate button) stays on in both roles.
INSTRUCTOR_SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
]
# JupyterLab settings for everyone in this environment: no "Would you like to get notified about
# official Jupyter news?" pop-up, no news fetched, no update check.
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
ROLES = ("student", "instructor")
KERNEL = "python3"  # the kernel the course's notebooks name


def role_file(prefix=None):
    return Path(prefix or sys.prefix) / "etc" / "jupyter" / "nn-course-role"


def current_role(prefix=None):
    """The role this environment was set up for last, or None."""
    path = role_file(prefix)
    role = path.read_text().strip() if path.exists() else None
    return role if role in ROLES else None


def _jupyter(*args):
    """Run a `jupyter` subcommand of this environment; its chatter is shown only when it fails."""
    exe = Path(sys.executable).parent / f"jupyter-{args[0]}"
    proc = subprocess.run([str(exe), *args[1:]], capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"jupyter {' '.join(args)} failed with exit status {proc.returncode}")


def setup(role, prefix=None):
    prefix = Path(prefix or sys.prefix)
    action = "disable" if role == "student" else "enable"
    _jupyter("labextension", action, "--level=sys_prefix", "--no-build", *INSTRUCTOR_LAB_PLUGINS)
    _jupyter("server", "extension", action, "--sys-prefix", *INSTRUCTOR_SERVER_EXTENSIONS)
    settings = prefix / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(OVERRIDES, indent=2) + "\n")
    role_file(prefix).parent.mkdir(parents=True, exist_ok=True)
    role_file(prefix).write_text(role + "\n")
    if role == "student":
        print(
            "JupyterLab set up for students: the Nbgrader menu (Formgrader, Course List, Assignment List) "
            "and "
            "Create Assignment are off in this environment; the Validate button stays."
        )
    else:
        print(
            "JupyterLab set up for instructors: Formgrader, Create Assignment, Course List and Assignment "
            "List are on. Formgrader's Generate overwrites labs/ without asking."
        )


def kernel_metadata():
    """The notebook metadata JupyterLab writes when this environment's Python kernel starts.

    ``kernelspec`` as JupyterLab builds it from the kernel's spec (name, display name, language)
    and ``language_info`` as the kernel (ipykernel) reports it in its kernel_info reply.
    """
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    return {
        "kernelspec": {"name": KERNEL, "display_name": spec.display_name, "language": spec.language},
        "language_info": json.loads(json.dumps(IPythonKernel.language_info)),
    }


def match_kernel(folders, metadata=None):
    """Give every notebook under ``folders`` the kernel's metadata; returns the paths rewritten.

    A notebook is left alone unless it is for the course's kernel (kernelspec ``python3``, language
    Python) and is written exactly as JupyterLab and nbformat write notebooks, so that nothing but
    those two keys of its metadata changes.
    """
    wanted = metadata or kernel_metadata()
    changed = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8")
                nb = json.loads(text)
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            meta = nb.get("metadata") if isinstance(nb, dict) else None
            if not isinstance(meta, dict) or all(meta.get(key) == value for key, value in wanted.items()):
                continue
            if (meta.get("kernelspec") or {}).get("name", KERNEL) != KERNEL:
                continue
            if (meta.get("language_info") or {}).get("name", "python") != "python":
                continue
            if _nb_text(nb) != text:  # another writer's formatting: rewriting would change more
                continue
            meta.update(copy.deepcopy(wanted))
            # A student's lab: write a new file and swap it in, so an interruption cannot truncate it.
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(_nb_text(nb), encoding="utf-8")
            os.replace(tmp, path)
            changed.append(path)
    return changed


def _nb_text(nb):
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--match-kernel":
        changed = match_kernel(argv[1:] or ["."])
        if changed:
            print(f"{len(changed)} notebook(s) now name this environment's kernel, as JupyterLab would.")
        return 0
    if len(argv) > 1 or (argv and argv[0] not in ROLES):
        raise SystemExit(
            f"usage: {Path(sys.executable).name} tools/jupyter_setup.py [student|instructor]\n"
            f"       {Path(sys.executable).name} tools/jupyter_setup.py --match-kernel FOLDER..."
        )
    role = argv[0] if argv else current_role() or "student"
    setup(role)
    return 0


if __name__ == "__main__":
    sys.exit(main())
