"""The Python side of bench/web.sh's read path: the example's note read in Flask + psycopg2.

What the seed templates would serve: one SELECT by primary key on the same `notes` table, the
same JSON shape as WEB's NoteResponse, a problem JSON for a missing note. Run by gunicorn with
sync workers (bench/web.sh: `gunicorn -w 2 flask_notes:app`), one connection per worker, opened
at the worker's first request. Reads DATABASE_HOST, DATABASE_PORT, DATABASE_NAME and
DATABASE_USERNAME as WEB does.
"""

import datetime
import os

import psycopg2
from flask import Flask, jsonify

app = Flask(__name__)
_connection = None


def connection():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(
            host=os.environ.get("DATABASE_HOST", "127.0.0.1"),
            port=int(os.environ.get("DATABASE_PORT", "5432")),
            dbname=os.environ.get("DATABASE_NAME", "postgres"),
            user=os.environ.get("DATABASE_USERNAME", "postgres"),
        )
        _connection.autocommit = True
    return _connection


def iso(instant):
    # WEB writes instants as ISO-8601 in UTC with a Z.
    return instant.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


@app.get("/__lbheartbeat__")
def lbheartbeat():
    # bench/lib's readiness probe.
    return jsonify({})


@app.get("/api/notes/<int:note_id>")
def note(note_id):
    with connection().cursor() as cursor:
        cursor.execute(
            "SELECT id, title, body, created_at, updated_at, author FROM notes WHERE id = %s",
            (note_id,),
        )
        row = cursor.fetchone()
    if row is None:
        problem = {"status": 404, "title": "Not Found", "detail": f"No note with id {note_id}"}
        return jsonify(problem), 404, {"Content-Type": "application/problem+json"}
    return jsonify(
        id=row[0],
        title=row[1],
        body=row[2],
        createdAt=iso(row[3]),
        updatedAt=iso(row[4]),
        author=row[5],
    )
