"""Widgets and dialogs of the Kickoff and Delivery & breakdowns steps."""
