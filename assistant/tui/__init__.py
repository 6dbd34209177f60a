"""The case officer's terminal app (Textual). Entry point: ``assistant.tui.app.run(settings, resume)``.

Textual is imported only inside this package; ``state`` and ``services`` are plain Python.
"""
