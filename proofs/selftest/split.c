/* Gate self-test input: a postcondition with one false conjunct. Split,
   the true conjuncts prove on their own; the false one must still fail
   the gate. */

/*@ requires 0 <= x <= 1000;
    assigns \nothing;
    ensures \result == x + 1 && \result > 0 && \result == x;
*/
int split_inc(int x) { return x + 1; }
