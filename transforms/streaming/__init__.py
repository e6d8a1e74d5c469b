"""The streaming parts: publication-time windows (pure rules), pane files, and the Beam
transforms of the Pub/Sub pipeline."""
