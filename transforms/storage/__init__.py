"""Lake storage: the files of a lake, the commit protocol, the lock, progress counters
and fault points. Through ``apache_beam.io.filesystems`` (so ``gs://`` and ``s3://``
lakes work), but no pipeline code."""
