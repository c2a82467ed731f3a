/* Functions of _graph.c, registered by _dexcore.c's module table. */
#ifndef MOBSEC_DEX_GRAPH_H
#define MOBSEC_DEX_GRAPH_H
#include <Python.h>

/* u32 per method record (class_def, method_idx, access_flags, code_off, virtual) */
#define MREC 5

PyObject *py_signatures(PyObject *self, PyObject *args);
PyObject *py_plain_strings(PyObject *self, PyObject *args);
int add_graph_types(PyObject *module); /* FreshRefs */
PyObject *py_class_members(PyObject *self, PyObject *args);

#endif
