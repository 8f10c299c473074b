"""Gradio chat UI over qa.Assistant: `python -m ui` (see ui.app.build_app)."""
