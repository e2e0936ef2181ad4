"""Realistic, clearly synthetic demo data for the two example networks.

`msknet demo` calls `load_demo_data()` then prints `demo_logins()`; every
demo sign-in uses `DEMO_PASSWORD`. The benchmarks reuse
`bulk.add_synthetic_members` to make networks of any size.
"""

from .loader import DEMO_PASSWORD, demo_logins, load_demo_data

__all__ = ["DEMO_PASSWORD", "demo_logins", "load_demo_data"]
