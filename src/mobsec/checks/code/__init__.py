"""Checks on code and binaries: dynamic code loading, protections (root/emulator/debugger/
tamper detection), obfuscation and packers."""
