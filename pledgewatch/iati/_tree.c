/* pledgewatch.iati._tree: an lxml element's subtree as plain Python objects, read straight from
 * libxml2's xmlNode structs (header-only: no libxml2 function is called, since lxml links libxml2
 * statically and its symbols are not visible to other extensions).
 *
 * tree(elem) -> (tag, attrib, text, children, line) for an lxml _Element, where
 *   tag      is lxml's elem.tag ("local" or "{uri}local"),
 *   attrib   is dict(elem.attrib),
 *   text     is elem.text (None without a text node, '' where lxml gives ''),
 *   children is the list of child element nodes (comments and processing instructions skipped),
 *   line     is elem.sourceline, or None where libxml2 stored 0 or 65535 (its "line >= 65535").
 * When a line is None because of 65535, the node comes back wrapped in a one-item list ([node]) so
 * that the caller (tree.py) knows it must fill those lines in from lxml's .sourceline.
 * After big_lines(True), such lines are read as libxml2's xmlGetLineNo() reads them (the line of the
 * first text node below, which the parser keeps in its psvi field with XML_PARSE_BIG_LINES, as lxml
 * parses), so no node needs lxml; tree.py turns this on only where it gives lxml's .sourceline on a
 * probe document.
 * A node type that is not expected (entity reference, XInclude marker, ...) raises Unsupported;
 * tree.py then builds that element's tree through the lxml API instead.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <libxml/tree.h>
#include "lxml.etree.h"

static PyTypeObject *element_type = NULL; /* lxml.etree._Element */
static PyObject *Unsupported = NULL;

/* ------------------------------------------------------------------ name cache
 * Tags and attribute names repeat; keep their str objects in a small open-addressing table keyed by
 * the bytes "{uri}local" (or "local"). At most CACHE_MAX names are kept; later ones are built each time.
 */
#define CACHE_SLOTS 2048
#define CACHE_MAX 1024
#define KEY_MAX 256

typedef struct {
    char *key;  /* malloc'd copy, NULL when empty */
    size_t len;
    size_t hash;
    PyObject *value;
} cache_entry;

static cache_entry cache[CACHE_SLOTS];
static int cache_used = 0;

/* A quick hash (names and short strings differ in their length, first or last eight bytes); equal
 * keys are still compared in full. */
static size_t
hash_bytes(const char *s, size_t n)
{
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else {
        for (size_t i = 0; i < n; i++)
            a = (a << 8) | (unsigned char)s[i];
    }
    uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ ((b + n) * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h ^ (h >> 29) ^ (h >> 47));
}

/* Return a new reference to the str of "{href}name" or "name". */
static PyObject *
qualified_name(const xmlNs *ns, const xmlChar *name)
{
    char buffer[KEY_MAX];
    const char *href = (ns != NULL && ns->href != NULL) ? (const char *)ns->href : NULL;
    const char *local = name != NULL ? (const char *)name : "";
    size_t llen = strlen(local), len;

    if (href != NULL) {
        size_t hlen = strlen(href);
        len = hlen + llen + 2;
        if (len >= KEY_MAX) {
            char *big = PyMem_Malloc(len + 1);
            PyObject *result;
            if (big == NULL)
                return PyErr_NoMemory();
            big[0] = '{';
            memcpy(big + 1, href, hlen);
            big[hlen + 1] = '}';
            memcpy(big + hlen + 2, local, llen);
            result = PyUnicode_DecodeUTF8(big, (Py_ssize_t)len, "strict");
            PyMem_Free(big);
            return result;
        }
        buffer[0] = '{';
        memcpy(buffer + 1, href, hlen);
        buffer[hlen + 1] = '}';
        memcpy(buffer + hlen + 2, local, llen);
    } else {
        len = llen;
        if (len >= KEY_MAX)
            return PyUnicode_DecodeUTF8(local, (Py_ssize_t)len, "strict");
        memcpy(buffer, local, llen);
    }

    size_t h = hash_bytes(buffer, len);
    size_t slot = h & (CACHE_SLOTS - 1);
    while (cache[slot].key != NULL) {
        if (cache[slot].hash == h && cache[slot].len == len && memcmp(cache[slot].key, buffer, len) == 0) {
            Py_INCREF(cache[slot].value);
            return cache[slot].value;
        }
        slot = (slot + 1) & (CACHE_SLOTS - 1);
    }
    PyObject *value = PyUnicode_DecodeUTF8(buffer, (Py_ssize_t)len, "strict");
    if (value == NULL || cache_used >= CACHE_MAX)
        return value;
    char *key = PyMem_Malloc(len ? len : 1);
    if (key == NULL)
        return value; /* not cached; still correct */
    memcpy(key, buffer, len);
    PyUnicode_InternInPlace(&value);
    cache[slot].key = key;
    cache[slot].len = len;
    cache[slot].hash = h;
    cache[slot].value = value;
    Py_INCREF(value);
    cache_used++;
    return value;
}

/* ------------------------------------------------------------------ small strings
 * Short texts and attribute values repeat too (indentation, codes such as "1", "JPY", "ja"): a
 * direct-mapped cache of strings up to SMALL_MAX bytes; a colliding newer string replaces the older.
 */
#define SMALL_SLOTS 1024
#define SMALL_MAX 16

typedef struct {
    size_t len;
    char key[SMALL_MAX];
    PyObject *value; /* NULL when empty */
} small_entry;

static small_entry small[SMALL_SLOTS];

static PyObject *
decode(const char *s, size_t len)
{
    if (len > SMALL_MAX)
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "strict");
    small_entry *e = &small[hash_bytes(s, len) & (SMALL_SLOTS - 1)];
    if (e->value != NULL && e->len == len && memcmp(e->key, s, len) == 0)
        return Py_NewRef(e->value);
    PyObject *value = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "strict");
    if (value == NULL)
        return NULL;
    memcpy(e->key, s, len);
    e->len = len;
    Py_XSETREF(e->value, Py_NewRef(value));
    return value;
}

/* ------------------------------------------------------------------ text */

static PyObject *
unsupported(const xmlNode *node)
{
    PyErr_Format(Unsupported, "unexpected libxml2 node type %d", (int)node->type);
    return NULL;
}

/* Concatenate the content of the TEXT/CDATA run starting at first (count nodes, total bytes). */
static PyObject *
join_text(const xmlNode *first, Py_ssize_t count, size_t total)
{
    if (count == 1)
        return decode((const char *)first->content, total);
    char *buf = PyMem_Malloc(total ? total : 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    size_t at = 0;
    for (const xmlNode *c = first; count > 0; c = c->next, count--) {
        if (c->content != NULL) {
            size_t n = strlen((const char *)c->content);
            memcpy(buf + at, c->content, n);
            at += n;
        }
    }
    PyObject *result = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)at, "strict");
    PyMem_Free(buf);
    return result;
}

/* lxml's elem.text: the run of TEXT/CDATA nodes that starts at the first child. */
static PyObject *
element_text(const xmlNode *node)
{
    const xmlNode *first = node->children, *c;
    Py_ssize_t count = 0;
    size_t total = 0;

    for (c = first; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content != NULL)
                total += strlen((const char *)c->content);
            count++;
        } else if (c->type == XML_XINCLUDE_START || c->type == XML_XINCLUDE_END) {
            return unsupported(c);
        } else {
            break;
        }
    }
    if (count == 0)
        Py_RETURN_NONE;
    if (total == 0)
        return PyUnicode_FromStringAndSize("", 0);
    return join_text(first, count, total);
}

/* An attribute's value as lxml gives it (xmlGetNsProp: its text children joined; "" without any). */
static PyObject *
attribute_value(const xmlAttr *attr)
{
    const xmlNode *first = attr->children, *c;
    Py_ssize_t count = 0;
    size_t total = 0;

    for (c = first; c != NULL; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            return unsupported(c);
        if (c->content != NULL)
            total += strlen((const char *)c->content);
        count++;
    }
    if (total == 0)
        return PyUnicode_FromStringAndSize("", 0);
    return join_text(first, count, total);
}

/* ------------------------------------------------------------------ tree */

static int big_lines = 0; /* read lines >= 65535 as xmlGetLineNo() does (big_lines(True)) */

/* the line libxml2's xmlGetLineNo() gives (lxml's .sourceline), read from the structs: a node whose
 * line field says 65535 ("at least 65535") takes the line a text node keeps in psvi, else the line of
 * its first child (elements), else of its next, else of its previous sibling, at most five steps
 * away; where none is found, 65535 itself. Other node types take their previous sibling's or their
 * parent's line. -1: no line. tree.py checks on a probe document that this gives lxml's values. */
static long
line_of(const xmlNode *node, int depth)
{
    long found = -1;

    if (node == NULL || depth >= 5)
        return -1;
    switch (node->type) {
    case XML_ELEMENT_NODE:
    case XML_TEXT_NODE:
    case XML_COMMENT_NODE:
    case XML_PI_NODE:
        if (node->line == 65535) {
            if (node->type == XML_TEXT_NODE && node->psvi != NULL)
                found = (long)(ptrdiff_t)node->psvi;
            else if (node->type == XML_ELEMENT_NODE && node->children != NULL)
                found = line_of(node->children, depth + 1);
            else if (node->next != NULL)
                found = line_of(node->next, depth + 1);
            else if (node->prev != NULL)
                found = line_of(node->prev, depth + 1);
        }
        return (found == -1 || found == 65535) ? (long)node->line : found;
    default:
        if (node->prev != NULL && (node->prev->type == XML_ELEMENT_NODE || node->prev->type == XML_TEXT_NODE ||
                                   node->prev->type == XML_COMMENT_NODE || node->prev->type == XML_PI_NODE))
            return line_of(node->prev, depth + 1);
        if (node->parent != NULL && node->parent->type == XML_ELEMENT_NODE)
            return line_of(node->parent, depth + 1);
        return -1;
    }
}

static PyObject *
build(const xmlNode *node, int *big)
{
    PyObject *tag = NULL, *attrib = NULL, *text = NULL, *children = NULL, *line = NULL, *result;

    if (Py_EnterRecursiveCall(" in pledgewatch.iati._tree.tree"))
        return NULL;
    tag = qualified_name(node->ns, node->name);
    if (tag == NULL)
        goto error;
    attrib = PyDict_New();
    if (attrib == NULL)
        goto error;
    for (const xmlAttr *a = node->properties; a != NULL; a = a->next) {
        if (a->type != XML_ATTRIBUTE_NODE)
            continue;
        PyObject *key = qualified_name(a->ns, a->name);
        if (key == NULL)
            goto error;
        PyObject *value = attribute_value(a);
        if (value == NULL) {
            Py_DECREF(key);
            goto error;
        }
        int rc = PyDict_SetItem(attrib, key, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (rc < 0)
            goto error;
    }
    text = element_text(node);
    if (text == NULL)
        goto error;
    children = PyList_New(0);
    if (children == NULL)
        goto error;
    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        switch (c->type) {
        case XML_ELEMENT_NODE: {
            PyObject *child = build(c, big);
            if (child == NULL)
                goto error;
            int rc = PyList_Append(children, child);
            Py_DECREF(child);
            if (rc < 0)
                goto error;
            break;
        }
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        default:
            unsupported(c);
            goto error;
        }
    }
    if (node->line == 65535 && big_lines) {
        long n = line_of(node, 0);
        line = n > 0 ? PyLong_FromLong(n) : Py_NewRef(Py_None); /* lxml: None unless > 0 */
        if (line == NULL)
            goto error;
    } else if (node->line == 65535) {
        *big = 1;
        line = Py_NewRef(Py_None);
    } else if (node->line == 0) {
        line = Py_NewRef(Py_None);
    } else {
        line = PyLong_FromLong((long)node->line);
        if (line == NULL)
            goto error;
    }
    result = PyTuple_New(5);
    if (result == NULL)
        goto error;
    PyTuple_SET_ITEM(result, 0, tag);
    PyTuple_SET_ITEM(result, 1, attrib);
    PyTuple_SET_ITEM(result, 2, text);
    PyTuple_SET_ITEM(result, 3, children);
    PyTuple_SET_ITEM(result, 4, line);
    Py_LeaveRecursiveCall();
    return result;

error:
    Py_XDECREF(tag);
    Py_XDECREF(attrib);
    Py_XDECREF(text);
    Py_XDECREF(children);
    Py_XDECREF(line);
    Py_LeaveRecursiveCall();
    return NULL;
}

static PyObject *
tree(PyObject *module, PyObject *elem)
{
    (void)module;
    if (!PyObject_TypeCheck(elem, element_type)) {
        PyErr_Format(PyExc_TypeError, "tree() needs an lxml element, not %.100s", Py_TYPE(elem)->tp_name);
        return NULL;
    }
    const xmlNode *node = ((struct LxmlElement *)elem)->_c_node;
    if (node == NULL) {
        PyErr_SetString(PyExc_ValueError, "the lxml element has no node");
        return NULL;
    }
    if (node->type != XML_ELEMENT_NODE)
        return unsupported(node);
    int big = 0;
    PyObject *result = build(node, &big);
    if (result == NULL || !big)
        return result;
    PyObject *wrapped = PyList_New(1);
    if (wrapped == NULL) {
        Py_DECREF(result);
        return NULL;
    }
    PyList_SET_ITEM(wrapped, 0, result);
    return wrapped;
}

static PyObject *
set_big_lines(PyObject *module, PyObject *flag)
{
    (void)module;
    int on = PyObject_IsTrue(flag);
    if (on < 0)
        return NULL;
    big_lines = on;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"big_lines", set_big_lines, METH_O,
     "big_lines(flag): read lines >= 65535 as libxml2's xmlGetLineNo() does instead of leaving them to lxml."},
    {"tree", tree, METH_O,
     "tree(elem) -> (tag, attrib, text, children, line) of an lxml element and its subtree; [node] when "
     "some line is >= 65535 and must be read through lxml (None there); Unsupported on unexpected nodes."},
    {NULL, NULL, 0, NULL},
};

static int
module_exec(PyObject *module)
{
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    if (etree == NULL)
        return -1;
    PyObject *type = PyObject_GetAttrString(etree, "_Element");
    Py_DECREF(etree);
    if (type == NULL)
        return -1;
    if (!PyType_Check(type)) {
        Py_DECREF(type);
        PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is not a type");
        return -1;
    }
    if (((PyTypeObject *)type)->tp_basicsize < (Py_ssize_t)sizeof(struct LxmlElement)) {
        Py_DECREF(type);
        PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is smaller than the compiled-in layout");
        return -1;
    }
    Py_XSETREF(element_type, (PyTypeObject *)type);
    if (Unsupported == NULL) {
        Unsupported = PyErr_NewException("pledgewatch.iati._tree.Unsupported", PyExc_ValueError, NULL);
        if (Unsupported == NULL)
            return -1;
    }
    if (PyModule_AddObjectRef(module, "Unsupported", Unsupported) < 0)
        return -1;
    if (PyModule_AddStringConstant(module, "LIBXML_HEADERS", LIBXML_DOTTED_VERSION) < 0)
        return -1;
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, module_exec},
#ifdef Py_mod_multiple_interpreters
    /* the caches and the element type are process-wide (lxml does not support them either) */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "pledgewatch.iati._tree",
    "An lxml element's subtree as plain tuples, read from libxml2's structs.", 0, methods, slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__tree(void)
{
    return PyModuleDef_Init(&moduledef);
}
