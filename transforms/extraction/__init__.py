"""Pure extraction: a parsed spaCy ``Doc`` to event frames and place mentions.

No Beam here (a test checks it): the stage ``transforms.extract_events`` calls these
functions, and tests and the evaluation call them directly.
"""
