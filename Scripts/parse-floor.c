/* The benchmark's floor: read every file under a folder and parse it with libxml2's HTML
   parser (the options rolelens uses), collecting the text of every text node; nothing else.
   With --html-only, only .html/.htm files are parsed and the others are just read (the floor
   of a mixed corpus: a text posting needs no parser).
   Usage: parse-floor [--html-only] DIR   (prints files, bytes, text bytes) */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long files = 0, bytes = 0, text = 0;
static int html_only = 0;

static int is_html(const char *path) {
  size_t n = strlen(path);
  return (n >= 5 && strcmp(path + n - 5, ".html") == 0) || (n >= 4 && strcmp(path + n - 4, ".htm") == 0);
}

static void collect(xmlNodePtr node) {
  /* Iterative walk, as rolelens does. */
  xmlNodePtr current = node;
  while (current) {
    if (current->type == XML_TEXT_NODE && current->content) text += strlen((char *)current->content);
    if (current->children && current->type == XML_ELEMENT_NODE) { current = current->children; continue; }
    while (current && !current->next) { current = current->parent; if (current == node) return; }
    if (current) current = current->next;
  }
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  if (type != FTW_F) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char *buffer = malloc(st->st_size + 1);
  size_t n = fread(buffer, 1, st->st_size, f);
  fclose(f);
  if (html_only && !is_html(path)) {
    text += (long)n;
    free(buffer);
    files++; bytes += (long)n;
    return 0;
  }
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
  htmlDocPtr doc = htmlReadMemory(buffer, (int)n, "", "UTF-8", options);
  if (doc) { collect(xmlDocGetRootElement(doc)); xmlFreeDoc(doc); }
  free(buffer);
  files++; bytes += (long)n;
  return 0;
}

int main(int argc, char **argv) {
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--html-only") == 0) { html_only = 1; first = 2; }
  if (argc <= first) { fprintf(stderr, "usage: parse-floor [--html-only] DIR\n"); return 2; }
  xmlInitParser();
  /* The folder itself may be a symbolic link (FTW_PHYS would not enter it). */
  char *root = realpath(argv[first], NULL);
  nftw(root ? root : argv[first], visit, 32, FTW_PHYS);
  free(root);
  printf("%ld files, %ld bytes, %ld text bytes\n", files, bytes, text);
  return 0;
}
