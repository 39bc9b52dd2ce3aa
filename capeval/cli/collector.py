"""The garbage collector, paused while a command starts and resumed once its database is open.

Starting a command creates hundreds of thousands of long-lived objects (modules, classes, the SQLAlchemy
mappings) and next to no garbage, yet the collector would scan them again and again: about a quarter of
the start-up of a command on a database. The console entry points pause it before anything is imported;
`resume()` freezes what start-up made (never scanned again) and turns the collector back on, so a
long-running command (a sweep, the console, the demo) collects as always. A command that never opens its
database ends with the collector paused; in-process callers (the tests) never pause it.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop collecting until `resume()` (from a console entry point, before the command's imports)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze every object made so far and collect again as usual; nothing when `pause()` did not pause."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
