"""Forvaltningssvar assistant: retrieval-augmented drafting of answers to council members' questions."""

__version__ = "0.1.0"
