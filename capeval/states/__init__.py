"""The domain, pure: stages, transition tables, guards, rules, the working-day calendar, commands, errors.

Nothing here imports a database, an orchestrator, a template engine or a mail library.
"""
