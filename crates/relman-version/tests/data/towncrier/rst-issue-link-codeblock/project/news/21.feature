New ``frob`` command. Example::

    $ frob --all
    frobbed 3 things
