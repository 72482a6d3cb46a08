"""paperbuild: `doit` builds build/paper.{pdf,docx,html}; `doit list` shows every command.

`doit journal=<id>` formats for another journal into build/<id>/.
"""

from pathlib import Path

from doit import get_var

from paperbuild import tasks

ROOT = Path(__file__).resolve().parent
JOURNAL = get_var("journal", None)

DOIT_CONFIG = tasks.config(ROOT)


def task__parse():
    return tasks.parse(ROOT, JOURNAL)


def task_pdf():
    return tasks.writer("pdf", ROOT, JOURNAL)


def task_docx():
    return tasks.writer("docx", ROOT, JOURNAL)


def task_html():
    return tasks.writer("html", ROOT, JOURNAL)
