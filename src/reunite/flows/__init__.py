"""Work that spans domains: each flow calls the services of the domains it joins.

Pages, routes and commands call flows; flows call services; services never call flows.
"""
