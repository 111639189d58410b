/* Gate self-test input: the postcondition is false, so one goal stays
   unproved and the gate must fail. */

/*@ requires 0 <= x <= 1000;
    assigns \nothing;
    ensures \result == x;
*/
int bad_inc(int x) { return x + 1; }
