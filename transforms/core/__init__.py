"""Pure helpers of the other stages: article formats, text cleanup, near-duplicate
signatures, incident linking rules. No Beam here (a test checks it)."""
