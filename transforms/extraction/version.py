"""The version of the extraction rules, stamped on every event and every run's manifest.

A module of its own so that the driver, which writes the manifest, need not import the
rules (and spaCy) to read it. Raised with every change of what the rules extract.
"""

EXTRACTOR_VERSION = "rules-0.4.66"
