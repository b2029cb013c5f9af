"""The parts of the Feasibility, Schedule and Quote steps: checklist, work items, sign-offs, schedule, prices."""
