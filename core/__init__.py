"""The bottom layer: dates, money and British formatting, exports, audit formatting, SQL helpers and
the one access module. Imports nothing of the project's other apps."""
