"""paperbuild: `doit` builds build/paper.{pdf,docx,html}; `doit list` shows every command.

`doit journal=<id>` formats for another journal into build/<id>/; `doit check strict=1`
makes warnings errors; `doit diff rev=<revision>` shows the changes since a git revision.
"""

from pathlib import Path

from doit import get_var

from paperbuild import tasks

ROOT = Path(__file__).resolve().parent
JOURNAL = get_var("journal", None)
REVISION = get_var("rev", None)
STRICT = get_var("strict", "0") not in ("0", "", "no", "false")

DOIT_CONFIG = tasks.config(ROOT, JOURNAL)


def task_check():
    return tasks.check(ROOT, JOURNAL, STRICT)


def task__cite():
    return tasks.cite(ROOT, JOURNAL)


def task_pdf():
    return tasks.writer("pdf", ROOT, JOURNAL)


def task_docx():
    return tasks.writer("docx", ROOT, JOURNAL)


def task_html():
    return tasks.writer("html", ROOT, JOURNAL)


def task_fix_script():
    return tasks.fix_script(ROOT)


def task_submission():
    return tasks.submission(ROOT, JOURNAL)


def task_diff():
    return tasks.diff(ROOT, JOURNAL, REVISION)
