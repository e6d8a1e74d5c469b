"""Lake storage: the files of a lake, durable and literal file operations, the commit
protocol, the lock (and the lease on object stores), progress counters and fault
points. Through ``apache_beam.io.filesystems`` (so ``gs://`` and ``s3://`` lakes work),
but no pipeline code."""
