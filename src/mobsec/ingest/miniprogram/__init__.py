"""WeChat mini-program packages (``.wxapkg``): the container, PC-WeChat encryption, and the
app configuration. ``package.read_wxapkg_file`` is the entry."""
