/* FANN's own forward pass, for axc's FANN importer (experiments/libfann.ts): loads a network with
 * fann_create_from_file and prints fann_run's outputs for each row of inputs read from stdin
 * (whitespace-separated, num_input values a row), one row a line, with enough digits to round-trip a float. */
#include <stdio.h>
#include <stdlib.h>
#include <floatfann.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fann-run NET.nn < rows\n");
    return 2;
  }
  struct fann *ann = fann_create_from_file(argv[1]);
  if (ann == NULL) return 1;
  unsigned int in = fann_get_num_input(ann), out = fann_get_num_output(ann);
  fann_type *x = malloc(sizeof(fann_type) * in);
  for (;;) {
    for (unsigned int i = 0; i < in; i++) {
      if (scanf("%f", &x[i]) != 1) {
        if (i == 0) goto done;
        return 1;
      }
    }
    fann_type *y = fann_run(ann, x);
    for (unsigned int j = 0; j < out; j++) printf(j ? " %.9g" : "%.9g", (double)y[j]);
    printf("\n");
  }
done:
  free(x);
  fann_destroy(ann);
  return 0;
}
