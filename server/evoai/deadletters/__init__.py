"""Dead letters (spec 7.6): jobs that used up their retries, kept for admins to retry or discard."""
