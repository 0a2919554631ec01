"""Everything that touches torch or audiocraft. Import submodules directly: this package stays light."""
