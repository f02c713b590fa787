"""A reviewer working in LibreOffice: comments and tracked changes made by LibreOffice itself.

Run with the system Python, which has the Python–UNO bridge (Debian: python3-uno):

    /usr/bin/python3 tests/lo_review.py JOB.json

JOB.json lists documents, each annotated as one reviewer would and stored as .docx and .odt:

    {"documents": [{"source": "draft.docx", "reviewer": "Wang Li",
                    "docx": "out/mohrss-lo.docx", "odt": "out/mohrss-lo.odt",
                    "actions": [{"do": "comment", "on": "a phrase", "text": "…", "date": "2026-03-10T09:30:00"},
                                {"do": "replace", "on": "a phrase", "with": "new words"},
                                {"do": "delete", "on": "a phrase"},
                                {"do": "insert", "after": "a phrase", "text": " A new sentence."},
                                {"do": "insert_paragraph", "after": "a phrase", "text": "A new paragraph."},
                                {"do": "delete_paragraph", "on": "a phrase"}]}]}

Each phrase is found with the document's search descriptor (its first occurrence) before anything is
changed; a phrase that is not found stops the job with exit status 1. Comments are made with Track
Changes off, by the reviewer unless the action names an "author"; the edits with it on, under the
reviewer's name (LibreOffice takes the author of a tracked change from the user profile). One headless soffice, with a
profile of its own, serves every document and is always ended: the desktop is terminated, and its
process group killed if it lingers, or if the whole job overruns DEADLINE. Prints, as JSON, the process
group soffice ran in and the profile it used, both gone by then.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import uno
import unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.task import XInteractionHandler

START_TIMEOUT = 60  # seconds for soffice to accept a connection
EXIT_TIMEOUT = 15  # seconds for soffice to exit once the desktop is terminated
DEADLINE = 120  # seconds for the whole job: then soffice is killed, and the job fails
FILTERS = {"docx": "MS Word 2007 XML", "odt": "writer8"}
PARAGRAPH_BREAK = uno.getConstantByName("com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK")


def properties(**values) -> tuple:
    found = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        found.append(item)
    return tuple(found)


def start_soffice(profile: Path, pipe: str) -> subprocess.Popen:
    # a session of its own, so the whole process group (oosplash and soffice.bin) can be killed
    return subprocess.Popen(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                             "--nologo", "--nodefault", "--norestore", "--nolockcheck",
                             f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, start_new_session=True)  # its stderr says why it crashed


def connect(pipe: str, process: subprocess.Popen):
    """The soffice component context, once soffice accepts connections on the pipe."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("soffice did not start") from None
            time.sleep(0.1)


class Unattended(unohelper.Base, XInteractionHandler):
    """Answers any question LibreOffice asks while loading with Abort (nobody is there to answer it) and
    keeps it, to say why a document did not load. LibreOffice 7.4 loads no .docx through UNO without an
    interaction handler in the load arguments (loadComponentFromURL returns None), although it asks it
    nothing."""

    def __init__(self):
        self.asked = []

    def handle(self, request):
        self.asked.append(repr(request.getRequest()))
        for choice in request.getContinuations():
            if choice.queryInterface(uno.getTypeByName("com.sun.star.task.XInteractionAbort")):
                choice.select()


def set_user_name(context, name: str) -> None:
    """The name LibreOffice writes as the author of tracked changes."""
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  properties(nodepath="/org.openoffice.UserProfile/Data"))
    access.setPropertyValue("givenname", name)
    access.setPropertyValue("sn", "")
    access.commitChanges()


def find(document, phrase: str):
    search = document.createSearchDescriptor()
    search.SearchString = phrase
    search.SearchCaseSensitive = True
    found = document.findFirst(search)
    if found is None:
        raise LookupError(f"phrase not found: {phrase!r}")
    return found


def date_time(stamp: str):
    """'2026-03-10T09:30:00' as a com.sun.star.util.DateTime."""
    value = uno.createUnoStruct("com.sun.star.util.DateTime")
    day, time_of_day = stamp.split("T")
    value.Year, value.Month, value.Day = map(int, day.split("-"))
    value.Hours, value.Minutes, value.Seconds = map(int, time_of_day.split(":"))
    return value


# Each action acts on the range its phrase was found at.
def comment(document, found, action: dict) -> None:
    annotation = document.createInstance("com.sun.star.text.textfield.Annotation")
    annotation.Author = action["author"]
    annotation.Content = action["text"]
    if action.get("date"):  # the comment window dates a comment; one made through UNO has no date
        annotation.DateTimeValue = date_time(action["date"])
    found.getText().insertTextContent(found, annotation, True)  # absorb: the comment spans the phrase


def replace(document, found, action: dict) -> None:
    found.setString(action["with"])


def delete(document, found, action: dict) -> None:
    found.setString("")


def insert(document, found, action: dict) -> None:
    found.getText().insertString(found.getEnd(), action["text"], False)


def insert_paragraph(document, found, action: dict) -> None:
    """A new paragraph after the one holding the phrase, as pressing Enter at its end and typing does."""
    text = found.getText()
    cursor = text.createTextCursorByRange(found.getEnd())
    cursor.gotoEndOfParagraph(False)
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    text.insertString(cursor, action["text"], False)


def delete_paragraph(document, found, action: dict) -> None:
    """The whole paragraph holding the phrase, its number and paragraph mark too, as selecting it and
    deleting does."""
    cursor = found.getText().createTextCursorByRange(found.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoNextParagraph(True)
    cursor.setString("")


ACTIONS = {"comment": comment, "replace": replace, "delete": delete, "insert": insert,
           "insert_paragraph": insert_paragraph, "delete_paragraph": delete_paragraph}


def load(desktop, source: str):
    """The document in a hidden window (LibreOffice's search needs a view of it)."""
    handler = Unattended()
    document = desktop.loadComponentFromURL(Path(source).resolve().as_uri(), "_blank", 0,
                                            properties(Hidden=True, InteractionHandler=handler))
    if document is None:
        raise RuntimeError(f"LibreOffice did not load {source}: {handler.asked or 'no reason given'}")
    return document


def annotate(desktop, context, job: dict) -> None:
    set_user_name(context, job["reviewer"])
    document = load(desktop, job["source"])
    frame = document.getCurrentController().getFrame()
    try:
        ranges = [find(document, action.get("on") or action["after"]) for action in job["actions"]]
        # Then no view: the view would draw each new comment in the margin, and libreoffice-*-nogui has
        # no .ui file for that window, so soffice aborts (at once or a moment later). The ranges found
        # follow the edits made before them.
        frame.setComponent(None, None)
        for action, found in zip(job["actions"], ranges):
            document.RecordChanges = action["do"] != "comment"
            ACTIONS[action["do"]](document, found, {"author": job["reviewer"], **action})
        for kind, name in FILTERS.items():
            if job.get(kind):
                target = Path(job[kind]).resolve()
                target.parent.mkdir(parents=True, exist_ok=True)
                document.storeToURL(target.as_uri(), properties(FilterName=name))
    finally:
        document.close(True)
        frame.close(True)


def stop(desktop, process: subprocess.Popen) -> None:
    try:
        if desktop is not None:
            desktop.terminate()
    except Exception:  # the bridge drops as soffice exits: that is the point
        pass
    try:
        process.wait(timeout=EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    kill(process)  # whatever of soffice is left (soffice.bin is a child of the process started)
    process.wait(timeout=EXIT_TIMEOUT)


def kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(jobs: list[dict]) -> dict:
    """Annotate and store every document; the process group soffice ran in and its profile."""
    profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
    pipe = f"nhrap-review-{uuid.uuid4().hex}"
    process = start_soffice(profile, pipe)
    watchdog = threading.Timer(DEADLINE, kill, (process,))  # a hung call fails once soffice is gone
    watchdog.start()
    desktop = None
    try:
        context = connect(pipe, process)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        for job in jobs:
            annotate(desktop, context, job)
    finally:
        watchdog.cancel()
        stop(desktop, process)
        shutil.rmtree(profile, ignore_errors=True)
    return {"soffice_process_group": process.pid, "profile": str(profile)}


if __name__ == "__main__":
    print(json.dumps(run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["documents"])))
