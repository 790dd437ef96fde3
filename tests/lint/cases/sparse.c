/*
 * lint-expect: sparse
 * lint-path: demo/global.c
 *
 * A global that no header declares: gcc 12 is silent, sparse asks
 * whether it should be static.
 */
int demo_counter;
