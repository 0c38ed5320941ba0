/* bench/python.c: python3 on the libpython yieldscope embeds (the shared
 * library, where a distribution's python3 program may be a build of its
 * own: Debian's is linked statically, with other optimizations, and runs
 * the same code up to a tenth faster). bench/run runs the lessons' steps
 * in it, so that what it counts beyond the lesson's own code is the
 * engine's, not the difference between two builds of CPython.
 *
 * Usage: bench/python ARGS... (as python3) */
#include <Python.h>

int main(int argc, char **argv)
{
	return Py_BytesMain(argc, argv);
}
