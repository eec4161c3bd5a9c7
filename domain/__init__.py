"""The interview domain's words and errors, in plain Python with no Django.

One module per concept, imported by every app, by the bank validator (which authors run from the shell)
and by the sandbox worker (which loads no Django at all), so a word is defined once. The Django side
adapts them to model choices in `cloudinterview/choices.py`.
"""
