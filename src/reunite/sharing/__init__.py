"""Need to know between the parties: releases of records, and the sharing log they make."""
