/* Gate self-test input: the preconditions contradict each other, so every
   goal holds vacuously; only the smoke tests (--smoke) find it. */

/*@ requires 0 < x && x < 0;
    assigns \nothing;
    ensures \result == x + 2;
*/
int contradictory_inc(int x) { return x + 1; }
