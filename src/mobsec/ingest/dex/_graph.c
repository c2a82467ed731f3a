/*
 * Whole-program graph helpers (part of _dexcore): method signatures numbered across the
 * DEX files of an app, strings that cannot name a class, and the references of one method
 * a walk has not followed yet.
 *
 * Why C: a call graph matches a virtual call to the methods of the same name and
 * prototype in every DEX file of the app. Decoding (name, prototype) of each of an app's
 * ~90k method ids into Python strings to intern them cost a quarter of the graph's time;
 * here the MUTF-8 bytes are hashed in place. Two method ids get the same number exactly
 * when their name and the descriptors of their return and parameter types are the same
 * bytes (ART compares these names as bytes too).
 *
 * The input is attacker-controlled: every offset, size and index is checked against its
 * buffer with 64-bit arithmetic; a method id whose name or prototype cannot be read gets
 * -1 (the caller decodes it the slow way, with its diagnostics); loops are bounded by
 * counts checked against the bytes left; the work is linear in the tables' sizes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "_graph.h"

typedef struct {
    const uint8_t *buf;
    uint64_t len;
    uint64_t string_ids_off, n_strings, type_ids_off, n_types, proto_ids_off, n_protos;
    uint64_t method_ids_off, n_methods;
} dex_view;

static uint32_t u32le(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* The MUTF-8 bytes of string ``idx`` (as Pools.string_span reads them: the NUL must come
 * within the declared length); 0 when they cannot be read cleanly. */
static int string_bytes(const dex_view *d, uint64_t idx, const uint8_t **out, uint64_t *n) {
    if (idx >= d->n_strings || d->string_ids_off + 4 * idx + 4 > d->len) return 0;
    uint64_t pos = u32le(d->buf + d->string_ids_off + 4 * idx);
    uint64_t utf16_len = 0;
    for (int shift = 0;; shift += 7) {
        if (shift > 28 || pos >= d->len) return 0;
        uint8_t b = d->buf[pos++];
        utf16_len |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
    }
    uint64_t limit = pos + 3 * utf16_len + 1;
    if (limit > d->len) limit = d->len;
    const uint8_t *nul = memchr(d->buf + pos, 0, limit - pos);
    if (!nul) return 0;
    *out = d->buf + pos;
    *n = (uint64_t)(nul - (d->buf + pos));
    return 1;
}

static int type_bytes(const dex_view *d, uint64_t idx, const uint8_t **out, uint64_t *n) {
    if (idx >= d->n_types || d->type_ids_off + 4 * idx + 4 > d->len) return 0;
    return string_bytes(d, u32le(d->buf + d->type_ids_off + 4 * idx), out, n);
}

/* ---- a growable byte buffer and an open-addressing table of keys ---------------------- */

typedef struct {
    uint8_t *v;
    uint64_t n, cap;
} bytes_t;

static int bytes_add(bytes_t *b, const void *p, uint64_t n) {
    if (b->n + n > b->cap) {
        uint64_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n) cap *= 2;
        uint8_t *v = realloc(b->v, cap);
        if (!v) return 0;
        b->v = v;
        b->cap = cap;
    }
    memcpy(b->v + b->n, p, n);
    b->n += n;
    return 1;
}

/* A key is length-prefixed parts (a prototype's: return type, each parameter type; a
 * method's: name, then its prototype's number), so no two different ones share a key. Returns 1, or -1 when memory ran out. */
static int key_part(bytes_t *k, const uint8_t *p, uint64_t n) {
    uint32_t len = (uint32_t)n; /* n < the buffer's length, checked by the caller's limit */
    return bytes_add(k, &len, 4) && bytes_add(k, p, n) ? 1 : -1;
}

typedef struct {
    uint64_t hash, off, len; /* into the arena */
    int32_t number;
} slot_t;

typedef struct {
    slot_t *slots;
    uint64_t cap, used;
    bytes_t arena;
    bytes_t reps; /* uint64 per number: DEX file number << 32 | method id */
} sig_table;

static void sig_table_free(sig_table *t) {
    free(t->slots);
    free(t->arena.v);
    free(t->reps.v);
}

static uint64_t fnv1a(const uint8_t *p, uint64_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (uint64_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static int table_grow(sig_table *t) {
    uint64_t cap = t->cap ? t->cap * 4 : 1 << 16; /* few rehashes: apps have 10^4-10^5 */
    slot_t *s = calloc(cap, sizeof(slot_t));
    if (!s) return 0;
    for (uint64_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].number) continue; /* empty */
        uint64_t j = t->slots[i].hash & (cap - 1);
        while (s[j].number) j = (j + 1) & (cap - 1);
        s[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = s;
    t->cap = cap;
    return 1;
}

/* The number of ``key`` (numbers start at 1 inside the table; 0 marks an empty slot). */
static int32_t intern(sig_table *t, const bytes_t *key, uint64_t rep) {
    if ((t->used + 1) * 2 > t->cap && !table_grow(t)) return -2;
    uint64_t h = fnv1a(key->v, key->n);
    uint64_t j = h & (t->cap - 1);
    while (t->slots[j].number) {
        slot_t *s = &t->slots[j];
        if (s->hash == h && s->len == key->n && !memcmp(t->arena.v + s->off, key->v, key->n))
            return s->number - 1;
        j = (j + 1) & (t->cap - 1);
    }
    if (t->used >= INT32_MAX - 1) return -2;
    slot_t *s = &t->slots[j];
    s->hash = h;
    s->off = t->arena.n;
    s->len = key->n;
    if (!bytes_add(&t->arena, key->v, key->n) || !bytes_add(&t->reps, &rep, 8)) return -2;
    s->number = (int32_t)(++t->used);
    return s->number - 1;
}

/* (name_idx, proto_idx) of one file -> its number (or -1), PAIR_NEW until known. */
#define PAIR_NEW INT32_MIN
typedef struct {
    uint64_t *keys; /* pair + 1 (0: empty) */
    int32_t *values;
    uint64_t cap, used;
} pair_table;

static int32_t *pair_slot(pair_table *t, uint64_t pair) {
    if ((t->used + 1) * 2 > t->cap) {
        uint64_t cap = t->cap ? t->cap * 4 : 1 << 14;
        uint64_t *keys = calloc(cap, sizeof(uint64_t));
        int32_t *values = malloc(cap * sizeof(int32_t));
        if (!keys || !values) {
            free(keys);
            free(values);
            return NULL;
        }
        for (uint64_t i = 0; i < t->cap; i++) {
            if (!t->keys[i]) continue;
            uint64_t j = (t->keys[i] * 0x9E3779B97F4A7C15ULL) >> 20 & (cap - 1);
            while (keys[j]) j = (j + 1) & (cap - 1);
            keys[j] = t->keys[i];
            values[j] = t->values[i];
        }
        free(t->keys);
        free(t->values);
        t->keys = keys;
        t->values = values;
        t->cap = cap;
    }
    uint64_t stored = pair + 1;
    uint64_t j = (stored * 0x9E3779B97F4A7C15ULL) >> 20 & (t->cap - 1);
    while (t->keys[j] && t->keys[j] != stored) j = (j + 1) & (t->cap - 1);
    if (!t->keys[j]) {
        t->keys[j] = stored;
        t->values[j] = PAIR_NEW;
        t->used++;
    }
    return &t->values[j];
}

/* The key of prototype ``proto`` in ``key``: its return and parameter types. 1; 0 when a
 * part cannot be read; -1 when memory ran out. */
static int proto_key(const dex_view *d, uint64_t proto, bytes_t *key) {
    key->n = 0;
    const uint8_t *p;
    uint64_t n;
    uint64_t prow = d->proto_ids_off + 12 * proto;
    if (proto >= d->n_protos || prow + 12 > d->len) return 0;
    if (!type_bytes(d, u32le(d->buf + prow + 4), &p, &n)) return 0;
    if (key_part(key, p, n) < 0) return -1;
    uint64_t params = u32le(d->buf + prow + 8);
    if (params == 0) return 1;
    if (params + 4 > d->len) return 0;
    uint64_t count = u32le(d->buf + params);
    if (count > (d->len - params - 4) / 2) return 0;
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *e = d->buf + params + 4 + 2 * i;
        if (!type_bytes(d, (uint64_t)e[0] | ((uint64_t)e[1] << 8), &p, &n)) return 0;
        if (key_part(key, p, n) < 0) return -1;
    }
    return 1;
}

/* The key of method id ``idx`` in ``key``: its name and the app-wide number of its
 * prototype (protos interned in ``protos``, remembered per file in ``proto_no``, -2 until
 * asked). 1; 0 when a part cannot be read; -1 when memory ran out. */
static int method_key(const dex_view *d, uint64_t idx, bytes_t *key, sig_table *protos,
                      int32_t *proto_no, bytes_t *scratch) {
    key->n = 0;
    uint64_t row = d->method_ids_off + 8 * idx;
    if (row + 8 > d->len) return 0;
    uint32_t proto = (uint32_t)d->buf[row + 2] | ((uint32_t)d->buf[row + 3] << 8);
    if (proto >= d->n_protos) return 0;
    if (proto_no[proto] == -2) {
        int got = proto_key(d, proto, scratch);
        if (got < 0) return -1;
        proto_no[proto] = -1;
        if (got > 0) {
            int32_t number = intern(protos, scratch, 0);
            if (number == -2) return -1;
            proto_no[proto] = number;
        }
    }
    if (proto_no[proto] < 0) return 0;
    const uint8_t *p;
    uint64_t n;
    if (!string_bytes(d, u32le(d->buf + row + 4), &p, &n)) return 0;
    if (key_part(key, p, n) < 0 || !bytes_add(key, &proto_no[proto], 4)) return -1;
    return 1;
}

/* signatures(dexes) -> (numbers, representatives)
 *   dexes: sequence of (buf, string_ids_off, n_strings, type_ids_off, n_types,
 *          proto_ids_off, n_protos, method_ids_off, n_methods)
 *   numbers: per DEX file, bytes of int32 per method id (-1: unreadable)
 *   representatives: bytes of uint64 per number, the first method id that has it
 *          (DEX file number << 32 | method id), to decode its name when asked. */
PyObject *py_signatures(PyObject *self, PyObject *args) {
    PyObject *seq;
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &seq)) return NULL;
    PyObject *fast = PySequence_Fast(seq, "signatures: a sequence of DEX tables");
    if (!fast) return NULL;
    Py_ssize_t n_dex = PySequence_Fast_GET_SIZE(fast);
    PyObject *numbers = PyTuple_New(n_dex), *result = NULL;
    sig_table t, protos;
    bytes_t key = {0}, scratch = {0};
    memset(&t, 0, sizeof t);
    memset(&protos, 0, sizeof protos);
    int oom = 0;
    if (!numbers) goto fail;
    for (Py_ssize_t k = 0; k < n_dex; k++) {
        Py_buffer view;
        dex_view d;
        unsigned long long f[8];
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, k), "y*KKKKKKKK;signatures: bad row",
                              &view, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]))
            goto fail;
        d.buf = view.buf;
        d.len = (uint64_t)view.len;
        d.string_ids_off = f[0], d.n_strings = f[1], d.type_ids_off = f[2], d.n_types = f[3];
        d.proto_ids_off = f[4], d.n_protos = f[5], d.method_ids_off = f[6], d.n_methods = f[7];
        if (d.n_methods > (uint64_t)PY_SSIZE_T_MAX / 4 || d.method_ids_off > d.len ||
            d.n_methods > (d.len - d.method_ids_off) / 8) {
            d.n_methods = d.method_ids_off > d.len ? 0 : (d.len - d.method_ids_off) / 8;
        }
        PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(d.n_methods * 4));
        pair_table pairs = {0};
        if (d.n_protos > d.len / 12) d.n_protos = d.len / 12; /* the rest cannot be read */
        int32_t *proto_no = malloc(d.n_protos * 4 + 4);
        if (!out || !proto_no) {
            Py_XDECREF(out);
            free(proto_no);
            PyBuffer_Release(&view);
            if (!PyErr_Occurred()) PyErr_NoMemory();
            goto fail;
        }
        for (uint64_t i = 0; i < d.n_protos; i++) proto_no[i] = -2;
        int32_t *row = (int32_t *)PyBytes_AS_STRING(out);
        Py_BEGIN_ALLOW_THREADS
        for (uint64_t i = 0; i < d.n_methods && !oom; i++) {
            /* many method ids of a file share (name_idx, proto_idx): the key is built
             * once per pair */
            const uint8_t *r = d.buf + d.method_ids_off + 8 * i;
            uint64_t pair = (uint64_t)u32le(r + 4) << 16 | ((uint64_t)r[2] | (uint64_t)r[3] << 8);
            int32_t *known = pair_slot(&pairs, pair);
            if (!known) {
                oom = 1;
                break;
            }
            if (*known != PAIR_NEW) {
                row[i] = *known;
                continue;
            }
            row[i] = -1;
            int got = method_key(&d, i, &key, &protos, proto_no, &scratch);
            if (got > 0) {
                int32_t number = intern(&t, &key, (uint64_t)k << 32 | i);
                if (number == -2) oom = 1;
                else row[i] = number;
            } else if (got < 0) {
                oom = 1;
            }
            *known = row[i];
        }
        free(pairs.keys);
        free(pairs.values);
        free(proto_no);
        Py_END_ALLOW_THREADS
        PyBuffer_Release(&view);
        PyTuple_SET_ITEM(numbers, k, out);
        if (oom) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    const char *reps = t.reps.v ? (const char *)t.reps.v : ""; /* "y#" of NULL is None */
    result = Py_BuildValue("(Oy#)", numbers, reps, (Py_ssize_t)t.reps.n);
fail:
    Py_XDECREF(numbers);
    sig_table_free(&t);
    sig_table_free(&protos);
    free(key.v);
    free(scratch.v);
    Py_DECREF(fast);
    return result;
}

/* plain_strings(buf, string_ids_off, n_strings) -> bytes, one per string: 1 when the
 * string is plain ASCII and cannot spell a Java class name ("com.x.Y": it has no '.', or
 * it has a '/', or 300 characters or more), 0 otherwise (also when it cannot be read: the
 * caller decodes those and decides). */
PyObject *py_plain_strings(PyObject *self, PyObject *args) {
    Py_buffer view;
    unsigned long long off, count;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*KK", &view, &off, &count)) return NULL;
    dex_view d;
    memset(&d, 0, sizeof d);
    d.buf = view.buf;
    d.len = (uint64_t)view.len;
    d.string_ids_off = off;
    if (off > d.len || count > (d.len - off) / 4) count = off > d.len ? 0 : (d.len - off) / 4;
    d.n_strings = count;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)count);
    if (!out) {
        PyBuffer_Release(&view);
        return NULL;
    }
    uint8_t *flag = (uint8_t *)PyBytes_AS_STRING(out);
    Py_BEGIN_ALLOW_THREADS
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *p;
        uint64_t n;
        flag[i] = 0;
        if (!string_bytes(&d, i, &p, &n)) continue;
        int ascii = 1, dot = 0, slash = 0;
        for (uint64_t j = 0; j < n; j++) {
            ascii &= p[j] < 0x80;
            dot |= p[j] == '.';
            slash |= p[j] == '/';
        }
        flag[i] = ascii && (!dot || slash || n >= 300);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return out;
}

/* FreshRefs(kinds[, marks, mark_kind, mark_bit]): what a walk has not followed yet.
 *
 * kinds: a sequence of (at, order, table, op_bits, seen), one per kind of reference: the
 * forward index of a DEX file's reference rows (rows of 4 u32: caller, offset, target,
 * opcode; the rows of method m are order[at[m]:at[m + 1]]), op_bits (256 bytes: opcode ->
 * the bits a row of that opcode stands for, 0 = not followed) and seen (writable, one byte
 * per target: the bits followed already). The buffers are held while the object lives.
 *
 * fresh(m) -> (list per kind, marked): the rows of method m whose op_bits have a bit not
 * yet in seen[target], in row order, as target << 8 | bit; those bits are then set in seen.
 * marked: some row of kind mark_kind (followed before or not) has op_bits & mark_bit and a
 * nonzero marks[target] (the JavaScript-interface calls). Rows whose target is outside
 * ``seen`` are skipped. */
#define MAX_KINDS 8
typedef struct {
    PyObject_HEAD
    int n;
    Py_buffer at[MAX_KINDS], order[MAX_KINDS], table[MAX_KINDS], bits[MAX_KINDS],
        seen[MAX_KINDS];
    Py_buffer marks;
    int mark_kind;
    unsigned int mark_bit;
} fresh_refs;

static void fresh_refs_release(fresh_refs *f) {
    for (int k = 0; k < f->n; k++) {
        PyBuffer_Release(&f->at[k]);
        PyBuffer_Release(&f->order[k]);
        PyBuffer_Release(&f->table[k]);
        PyBuffer_Release(&f->bits[k]);
        PyBuffer_Release(&f->seen[k]);
    }
    f->n = 0;
    if (f->marks.obj) PyBuffer_Release(&f->marks);
}

static void fresh_refs_dealloc(PyObject *self) {
    fresh_refs_release((fresh_refs *)self);
    Py_TYPE(self)->tp_free(self);
}

static int fresh_refs_init(PyObject *self, PyObject *args, PyObject *kwds) {
    fresh_refs *f = (fresh_refs *)self;
    PyObject *kinds;
    Py_buffer marks = {0};
    int mark_kind = 0;
    unsigned int mark_bit = 0;
    static char *names[] = {"kinds", "marks", "mark_kind", "mark_bit", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|y*iI", names, &kinds, &marks, &mark_kind,
                                     &mark_bit))
        return -1;
    fresh_refs_release(f);
    f->marks = marks;
    f->mark_kind = mark_kind;
    f->mark_bit = mark_bit;
    PyObject *fast = PySequence_Fast(kinds, "FreshRefs: kinds must be a sequence");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > MAX_KINDS) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "FreshRefs: too many kinds");
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, k), "y*y*y*y*w*;FreshRefs: bad kind",
                              &f->at[k], &f->order[k], &f->table[k], &f->bits[k], &f->seen[k])) {
            Py_DECREF(fast);
            return -1;
        }
        f->n = (int)k + 1;
        if (f->bits[k].len < 256) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_ValueError, "FreshRefs: op_bits needs 256 entries");
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

/* The fresh rows of one kind for method m, appended to a new list. */
static PyObject *fresh_of_kind(fresh_refs *f, int k, Py_ssize_t m, int *marked) {
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    const uint32_t *at = f->at[k].buf, *ord = f->order[k].buf, *tab = f->table[k].buf;
    Py_ssize_t n_at = f->at[k].len / 4;
    uint64_t n_order = (uint64_t)f->order[k].len / 4, n_rows = (uint64_t)f->table[k].len / 16;
    if (m < 0 || m + 1 >= n_at) return out;
    uint64_t lo = at[m], hi = at[m + 1];
    if (hi > n_order) hi = n_order;
    const uint8_t *op_bits = f->bits[k].buf;
    uint8_t *done = f->seen[k].buf;
    uint64_t n_seen = (uint64_t)f->seen[k].len;
    const uint8_t *mark = k == f->mark_kind ? f->marks.buf : NULL;
    for (uint64_t i = lo; i < hi; i++) {
        uint64_t r = ord[i];
        if (r >= n_rows) continue;
        uint32_t target = tab[4 * r + 2];
        uint8_t bit = op_bits[tab[4 * r + 3] & 0xff];
        if (!bit || target >= n_seen) continue;
        if (mark && (bit & f->mark_bit) && (Py_ssize_t)target < f->marks.len && mark[target])
            *marked = 1;
        if (!(bit & ~done[target])) continue;
        done[target] |= bit;
        PyObject *v = PyLong_FromUnsignedLongLong((unsigned long long)target << 8 | bit);
        if (!v || PyList_Append(out, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(v);
    }
    return out;
}

static PyObject *fresh_refs_fresh(PyObject *self, PyObject *arg) {
    fresh_refs *f = (fresh_refs *)self;
    Py_ssize_t m = PyLong_AsSsize_t(arg);
    if (m == -1 && PyErr_Occurred()) return NULL;
    PyObject *result = PyTuple_New(f->n + 1);
    if (!result) return NULL;
    int marked = 0;
    for (int k = 0; k < f->n; k++) {
        PyObject *rows = fresh_of_kind(f, k, m, &marked);
        if (!rows) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, k, rows);
    }
    PyTuple_SET_ITEM(result, f->n, PyBool_FromLong(marked));
    return result;
}

static PyMethodDef FRESH_METHODS[] = {
    {"fresh", fresh_refs_fresh, METH_O, "fresh(method_idx) -> (list per kind..., marked)"},
    {NULL, NULL, 0, NULL}};

static PyTypeObject FRESH_REFS_TYPE = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mobsec.ingest.dex._dexcore.FreshRefs",
    .tp_basicsize = sizeof(fresh_refs),
    .tp_dealloc = fresh_refs_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "References of a DEX file's methods a walk has not followed yet (_graph.c).",
    .tp_methods = FRESH_METHODS,
    .tp_init = fresh_refs_init,
    .tp_new = PyType_GenericNew,
};

int add_graph_types(PyObject *module) {
    if (PyType_Ready(&FRESH_REFS_TYPE) < 0) return -1;
    Py_INCREF(&FRESH_REFS_TYPE);
    if (PyModule_AddObject(module, "FreshRefs", (PyObject *)&FRESH_REFS_TYPE) < 0) {
        Py_DECREF(&FRESH_REFS_TYPE);
        return -1;
    }
    return 0;
}

/* class_members(method_table, first, stop, sig_of, dex_no, first_member, walk_mask)
 *   -> (members, where, bits) or None
 *
 * The methods a class defines, as a call graph numbers them: method records first..stop
 * (rows of MREC u32: class_def, method_idx, access_flags, code_off, virtual) become member
 * numbers first_member, first_member + 1...; ``members`` maps each one's signature number
 * (sig_of[method_idx]) to its member number (a later duplicate wins, as in a dict),
 * ``where`` is int64 per member (dex_no << 32 | method_idx) and ``bits`` one byte per
 * member: 1 virtual, 2 has code to walk (code_off set and no access flag of walk_mask).
 * None when a method_idx is outside sig_of or its signature is unknown (-1): the caller
 * numbers that class itself. */
PyObject *py_class_members(PyObject *self, PyObject *args) {
    Py_buffer mt, sig;
    Py_ssize_t first, stop;
    unsigned long long dex_no, first_member;
    unsigned int walk_mask;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*nny*KKI", &mt, &first, &stop, &sig, &dex_no, &first_member,
                          &walk_mask))
        return NULL;
    PyObject *members = NULL, *where = NULL, *bits = NULL, *result = NULL;
    const uint32_t *m = mt.buf;
    const int32_t *sig_of = sig.buf;
    Py_ssize_t n_recs = mt.len / (MREC * 4), n_sig = sig.len / 4;
    if (first < 0 || stop > n_recs || first > stop) {
        PyErr_SetString(PyExc_ValueError, "class_members: records out of range");
        goto out;
    }
    for (Py_ssize_t r = first; r < stop; r++) {
        uint32_t idx = m[MREC * r + 1];
        if ((Py_ssize_t)idx >= n_sig || sig_of[idx] < 0) {
            result = Py_None;
            Py_INCREF(result);
            goto out;
        }
    }
    members = PyDict_New();
    where = PyBytes_FromStringAndSize(NULL, (stop - first) * 8);
    bits = PyBytes_FromStringAndSize(NULL, stop - first);
    if (!members || !where || !bits) goto out;
    int64_t *w = (int64_t *)PyBytes_AS_STRING(where);
    char *b = PyBytes_AS_STRING(bits);
    for (Py_ssize_t r = first; r < stop; r++) {
        const uint32_t *row = m + MREC * r;
        Py_ssize_t i = r - first;
        w[i] = (int64_t)(dex_no << 32 | row[1]);
        b[i] = (char)((row[4] ? 1 : 0) | (row[3] && !(row[2] & walk_mask) ? 2 : 0));
        PyObject *k = PyLong_FromLong(sig_of[row[1]]);
        PyObject *v = PyLong_FromUnsignedLongLong(first_member + (unsigned long long)i);
        int bad = !k || !v || PyDict_SetItem(members, k, v) < 0;
        Py_XDECREF(k);
        Py_XDECREF(v);
        if (bad) goto out;
    }
    result = PyTuple_Pack(3, members, where, bits);
out:
    Py_XDECREF(members);
    Py_XDECREF(where);
    Py_XDECREF(bits);
    PyBuffer_Release(&mt);
    PyBuffer_Release(&sig);
    return result;
}
